-- A2A (issue #16, seed 003) and the demo endpoints (issue #17): the keys that sign agent cards (private key sealed with the master key)
-- and the tasks of the JSON-RPC endpoint POST /api/a2a, shared by every app instance.

-- CreateTable
CREATE TABLE "a2a_card_keys" (
    "kid" TEXT NOT NULL,
    "algorithm" TEXT NOT NULL,
    "public_jwk" JSONB NOT NULL,
    "sealed_private_key" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "a2a_card_keys_pkey" PRIMARY KEY ("kid")
);

-- CreateTable
CREATE TABLE "a2a_tasks" (
    "owner" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "context_id" TEXT NOT NULL,
    "task" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "a2a_tasks_pkey" PRIMARY KEY ("owner","id")
);

-- CreateIndex
CREATE INDEX "a2a_card_keys_created_at_idx" ON "a2a_card_keys"("created_at");

-- CreateIndex
CREATE INDEX "a2a_tasks_owner_updated_at_idx" ON "a2a_tasks"("owner", "updated_at");

-- Seed 003 demo endpoints (issue #17): the demo agent that signs /api/demo/agent-to-agent's
-- responses (key sealed), and the census's contributions (aggregated on read).

-- CreateTable
CREATE TABLE "demo_agents" (
    "chain_id" INTEGER NOT NULL,
    "agent_id" INTEGER NOT NULL,
    "address" TEXT NOT NULL,
    "sealed_key" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "demo_agents_pkey" PRIMARY KEY ("chain_id")
);

-- CreateTable
CREATE TABLE "demo_census" (
    "chain_id" INTEGER NOT NULL,
    "agent_id" INTEGER NOT NULL,
    "nationality" TEXT NOT NULL,
    "older_than" INTEGER NOT NULL,
    "ofac_clear" BOOLEAN NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "demo_census_pkey" PRIMARY KEY ("chain_id","agent_id")
);
