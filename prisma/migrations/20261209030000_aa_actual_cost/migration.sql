-- Sponsorships settled to what the EntryPoint charged (issue #17): the actual cost once the
-- UserOperation is mined (0 when the reservation expired unused; null while pending), the operation's
-- hash, and the block the chain was at when the sponsorship was signed (where the EntryPoint's logs are read from).
ALTER TABLE "aa_sponsorships" ADD COLUMN     "actual_cost_wei" DECIMAL(78,0),
ADD COLUMN     "user_op_hash" TEXT,
ADD COLUMN     "from_block" BIGINT;
