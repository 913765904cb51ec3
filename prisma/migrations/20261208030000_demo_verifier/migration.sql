-- Seed 003 (issue #17): the demo verifier contract of POST /api/demo/chain-verify, per chain, in the network registry.
ALTER TABLE "networks" ADD COLUMN "demo_verifier" TEXT;
