-- ERC-4337 account abstraction (issue #17): the contracts per chain, and the sponsorships the verifying paymaster signed.
ALTER TABLE "networks" ADD COLUMN     "aa_entry_point" TEXT,
ADD COLUMN     "aa_account_factory" TEXT,
ADD COLUMN     "aa_paymaster" TEXT;

CREATE TABLE "aa_sponsorships" (
    "id" UUID NOT NULL,
    "organization_id" UUID,
    "chain_id" INTEGER NOT NULL,
    "sender" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "max_cost_wei" DECIMAL(78,0) NOT NULL,
    "valid_until" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "aa_sponsorships_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "aa_sponsorships_organization_id_chain_id_idx" ON "aa_sponsorships"("organization_id", "chain_id");
