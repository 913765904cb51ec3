-- Seed 004's Turnkey mode (issue #19): setup sessions, drafts, and the Turnkey side of approval requests.
CREATE TABLE "turnkey_setup_sessions" (
    "id" TEXT NOT NULL,
    "organization_id" UUID NOT NULL,
    "agent_public_key" TEXT NOT NULL,
    "agent_label" TEXT,
    "provider_public_key" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "sub_organization_id" TEXT,
    "wallet_address" TEXT,
    "agent_user_id" TEXT,
    "provider_user_id" TEXT,
    "policy_ids" TEXT[],
    "approval_agent_id" TEXT,
    "completed_by_id" UUID,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "completed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "turnkey_setup_sessions_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "turnkey_setup_sessions_sub_organization_id_key" ON "turnkey_setup_sessions"("sub_organization_id");
CREATE UNIQUE INDEX "turnkey_setup_sessions_approval_agent_id_key" ON "turnkey_setup_sessions"("approval_agent_id");
CREATE INDEX "turnkey_setup_sessions_organization_id_created_at_idx" ON "turnkey_setup_sessions"("organization_id", "created_at");

CREATE TABLE "turnkey_drafts" (
    "id" TEXT NOT NULL,
    "organization_id" UUID NOT NULL,
    "setup_session_id" TEXT NOT NULL,
    "chain_id" INTEGER NOT NULL,
    "intent" JSONB NOT NULL,
    "clear_signing" JSONB NOT NULL,
    "unsigned_transaction" TEXT NOT NULL,
    "request_id" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "turnkey_drafts_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "turnkey_drafts_request_id_key" ON "turnkey_drafts"("request_id");
CREATE INDEX "turnkey_drafts_organization_id_created_at_idx" ON "turnkey_drafts"("organization_id", "created_at");

CREATE TABLE "turnkey_requests" (
    "id" TEXT NOT NULL,
    "organization_id" UUID NOT NULL,
    "draft_id" TEXT NOT NULL,
    "sub_organization_id" TEXT NOT NULL,
    "wallet_address" TEXT NOT NULL,
    "activity_id" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "unsigned_transaction" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "turnkey_requests_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "turnkey_requests_draft_id_key" ON "turnkey_requests"("draft_id");
CREATE UNIQUE INDEX "turnkey_requests_activity_id_key" ON "turnkey_requests"("activity_id");
