-- Agent identity sessions (issue #16, seed 003): register / identify / refresh / deregister sessions
-- behind the `enc_` session tokens, shared by every app instance.

-- CreateTable
CREATE TABLE "identity_sessions" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "chain_id" INTEGER NOT NULL,
    "mode" TEXT,
    "provider" TEXT NOT NULL,
    "disclosures" JSONB NOT NULL,
    "agent_address" TEXT,
    "ed25519_key" TEXT,
    "sealed_agent_key" JSONB,
    "key_exported_at" TIMESTAMPTZ(3),
    "human_address" TEXT,
    "agent_id" INTEGER,
    "nullifier" TEXT,
    "tx_hash" TEXT,
    "result" JSONB,
    "error" TEXT,
    "agent_record_id" UUID,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "identity_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "identity_sessions_expires_at_idx" ON "identity_sessions"("expires_at");

-- CreateIndex
CREATE INDEX "identity_sessions_agent_record_id_idx" ON "identity_sessions"("agent_record_id");
