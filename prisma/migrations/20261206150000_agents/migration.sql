-- The Agent registry (issue #11, C6): one agent per organization across every system, holding
-- each system's identifier (all optional). Signers and seed 004 pairings point to their agent; every
-- existing signer and pairing gets one here, so the migration works on databases already in use.

-- CreateEnum
CREATE TYPE "AgentStatus" AS ENUM ('active', 'paused', 'retired');

-- CreateTable
CREATE TABLE "agents" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "status" "AgentStatus" NOT NULL DEFAULT 'active',
    "owner_id" UUID,
    "signet_sid" TEXT,
    "aegis_agent_id" TEXT,
    "onchain_chain_id" INTEGER,
    "onchain_agent_id" TEXT,
    "agent_address" TEXT,
    "turnkey_wallet_id" TEXT,
    "paused_at" TIMESTAMPTZ(3),
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "agents_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "agents_signet_sid_format" CHECK ("signet_sid" IS NULL OR "signet_sid" ~ '^SID-0x[0-9a-f]{16}$'),
    CONSTRAINT "agents_aegis_agent_id_length" CHECK ("aegis_agent_id" IS NULL OR char_length("aegis_agent_id") BETWEEN 1 AND 128),
    CONSTRAINT "agents_onchain_pair" CHECK (("onchain_chain_id" IS NULL) = ("onchain_agent_id" IS NULL))
);

-- CreateIndex
CREATE UNIQUE INDEX "agents_signet_sid_key" ON "agents"("signet_sid");
CREATE UNIQUE INDEX "agents_organization_id_aegis_agent_id_key" ON "agents"("organization_id", "aegis_agent_id");
CREATE UNIQUE INDEX "agents_onchain_chain_id_onchain_agent_id_key" ON "agents"("onchain_chain_id", "onchain_agent_id");
CREATE UNIQUE INDEX "agents_organization_id_agent_address_key" ON "agents"("organization_id", "agent_address");
CREATE INDEX "agents_organization_id_status_idx" ON "agents"("organization_id", "status");

-- AddForeignKey
ALTER TABLE "agents" ADD CONSTRAINT "agents_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "agents" ADD CONSTRAINT "agents_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Signers and pairings point to their agent.
ALTER TABLE "signers" ADD COLUMN "agent_id" UUID;
ALTER TABLE "approval_agents" ADD COLUMN "agent_record_id" UUID;

-- Backfill: one agent per signer, named after it (a deleted signer's agent is retired; the owner is
-- whoever created the signer, if that user still exists).
UPDATE "signers" SET "agent_id" = gen_random_uuid() WHERE "agent_id" IS NULL;
INSERT INTO "agents" ("id", "organization_id", "name", "description", "status", "owner_id", "created_by_id", "created_at", "updated_at")
SELECT s."agent_id", s."organization_id", s."name", s."description",
       CASE WHEN s."deleted_at" IS NULL THEN 'active'::"AgentStatus" ELSE 'retired'::"AgentStatus" END,
       (SELECT u."id" FROM "users" u WHERE u."id" = s."created_by_id"),
       s."created_by_id", s."created_at", CURRENT_TIMESTAMP
FROM "signers" s;

-- A pairing with a signer joins that signer's agent; any other pairing gets its own agent, named
-- after its address, which becomes the agent's address.
UPDATE "approval_agents" p SET "agent_record_id" = s."agent_id"
FROM "signers" s WHERE s."id" = p."signer_id" AND s."organization_id" = p."organization_id" AND p."agent_record_id" IS NULL;
UPDATE "approval_agents" SET "agent_record_id" = gen_random_uuid() WHERE "agent_record_id" IS NULL;
INSERT INTO "agents" ("id", "organization_id", "name", "status", "owner_id", "agent_address", "created_by_id", "created_at", "updated_at")
SELECT p."agent_record_id", p."organization_id", 'Agent ' || p."address", 'active'::"AgentStatus",
       (SELECT u."id" FROM "users" u WHERE u."id" = p."created_by_id"),
       p."address", p."created_by_id", p."created_at", CURRENT_TIMESTAMP
FROM "approval_agents" p
WHERE NOT EXISTS (SELECT 1 FROM "agents" a WHERE a."id" = p."agent_record_id");

-- CreateIndex
CREATE INDEX "signers_agent_id_idx" ON "signers"("agent_id");
CREATE INDEX "approval_agents_agent_record_id_idx" ON "approval_agents"("agent_record_id");

-- AddForeignKey
ALTER TABLE "signers" ADD CONSTRAINT "signers_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "approval_agents" ADD CONSTRAINT "approval_agents_agent_record_id_fkey" FOREIGN KEY ("agent_record_id") REFERENCES "agents"("id") ON DELETE SET NULL ON UPDATE CASCADE;
