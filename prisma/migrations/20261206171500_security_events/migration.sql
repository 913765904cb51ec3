-- Security events (issue #12): failed API-key / signer-key / SCIM-token / agent-token authentications,
-- limited per client address (lib/security). Only a public hint of what was presented is kept (a
-- credential's visible prefix, an agent token's key id), never the secret.

-- CreateTable
CREATE TABLE "security_events" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "organization_id" UUID,
    "kind" TEXT NOT NULL,
    "credential_type" TEXT NOT NULL,
    "credential_hint" TEXT,
    "credential_id" UUID,
    "ip" TEXT,
    "method" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "request_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "security_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "security_events_seq_key" ON "security_events"("seq");

-- CreateIndex
CREATE INDEX "security_events_organization_id_seq_idx" ON "security_events"("organization_id", "seq");

-- CreateIndex
CREATE INDEX "security_events_created_at_idx" ON "security_events"("created_at");
