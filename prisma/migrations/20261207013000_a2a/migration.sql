-- A2A (issue #16, seed 003): the keys that sign agent cards (private key sealed with the master key)
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
