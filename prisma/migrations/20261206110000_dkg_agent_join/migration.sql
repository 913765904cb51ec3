-- Key generation with the agent's party on the agent's machine (issue #10): the one-time invitation,
-- the agent's per-ceremony token (both stored as SHA-256 only), the ephemeral X25519 public keys of
-- the user and the agent with the MAC that binds the agent's key to the user's pin, and confirmations.

-- CreateTable
CREATE TABLE "ceremony_invitations" (
    "ceremony_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "claimed_at" TIMESTAMPTZ(3),
    "agent_token_hash" TEXT,
    "user_key" TEXT,
    "agent_key" TEXT,
    "agent_key_mac" TEXT,
    "agent_confirmed_at" TIMESTAMPTZ(3),
    "user_confirmed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ceremony_invitations_pkey" PRIMARY KEY ("ceremony_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ceremony_invitations_token_hash_key" ON "ceremony_invitations"("token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "ceremony_invitations_agent_token_hash_key" ON "ceremony_invitations"("agent_token_hash");

-- AddForeignKey
ALTER TABLE "ceremony_invitations" ADD CONSTRAINT "ceremony_invitations_ceremony_id_fkey" FOREIGN KEY ("ceremony_id") REFERENCES "ceremonies"("id") ON DELETE CASCADE ON UPDATE CASCADE;
