-- Seed 003's smartwallet mode (issue #17): the factory of passkey-owned ERC-4337 accounts per chain.
ALTER TABLE "networks" ADD COLUMN "aa_passkey_factory" TEXT;
