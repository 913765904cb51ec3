-- Agent identity (issue #16, seed 003): the on-chain agent registry of each network, the local proof
-- provider's key, and the replay cache of signed agent requests (x-self-agent-* headers), shared by
-- every app instance.

-- AlterTable
ALTER TABLE "networks" ADD COLUMN     "identity_registry" TEXT;

-- CreateTable
CREATE TABLE "identity_provider_keys" (
    "name" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "sealed_key" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "identity_provider_keys_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "agent_request_replays" (
    "key" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "agent_request_replays_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "agent_request_replays_expires_at_idx" ON "agent_request_replays"("expires_at");
