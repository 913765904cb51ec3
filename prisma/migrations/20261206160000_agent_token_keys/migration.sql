-- Agent tokens (issue #11, C7): the Ed25519 keys that sign short-lived agent JWTs (X-AEGIS-Agent-Token).
-- The private key is sealed with the master key (lib/keystore); the public JWK is published at
-- /.well-known/jwks.json until every token the key signed has expired (retired_at + the longest TTL).

-- CreateTable
CREATE TABLE "agent_token_keys" (
    "kid" TEXT NOT NULL,
    "algorithm" TEXT NOT NULL,
    "public_jwk" JSONB NOT NULL,
    "sealed_private_key" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retired_at" TIMESTAMPTZ(3),

    CONSTRAINT "agent_token_keys_pkey" PRIMARY KEY ("kid")
);

-- CreateIndex
CREATE INDEX "agent_token_keys_created_at_idx" ON "agent_token_keys"("created_at");
