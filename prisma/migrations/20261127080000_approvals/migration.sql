-- Seed 004 human approvals: paired agents, provider keys, settings, drafts, requests,
-- notifications, responses and passkey-binding challenges.

-- CreateTable
CREATE TABLE "approval_agents" (
    "id" TEXT NOT NULL,
    "organization_id" UUID NOT NULL,
    "address" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "chain_id" INTEGER NOT NULL,
    "safe_address" TEXT,
    "signer_id" UUID,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "approval_agents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval_provider_keys" (
    "organization_id" UUID NOT NULL,
    "address" TEXT NOT NULL,
    "sealed_key" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_provider_keys_pkey" PRIMARY KEY ("organization_id")
);

-- CreateTable
CREATE TABLE "approval_settings" (
    "organization_id" UUID NOT NULL,
    "passkey_threshold_wei" TEXT NOT NULL,
    "updated_by_id" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "approval_settings_pkey" PRIMARY KEY ("organization_id")
);

-- CreateTable
CREATE TABLE "approval_drafts" (
    "id" TEXT NOT NULL,
    "organization_id" UUID NOT NULL,
    "agent_id" TEXT NOT NULL,
    "chain_id" INTEGER NOT NULL,
    "safe_address" TEXT NOT NULL,
    "intent" JSONB NOT NULL,
    "clear_signing" JSONB NOT NULL,
    "safe" JSONB NOT NULL,
    "safe_transaction" JSONB NOT NULL,
    "safe_tx_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_drafts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval_requests" (
    "id" TEXT NOT NULL,
    "organization_id" UUID NOT NULL,
    "agent_id" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "draft_id" TEXT,
    "signing_request_id" UUID,
    "status" TEXT NOT NULL,
    "chain_id" INTEGER NOT NULL,
    "safe_address" TEXT,
    "intent" JSONB NOT NULL,
    "clear_signing" JSONB NOT NULL,
    "safe" JSONB,
    "safe_transaction" JSONB,
    "subject_hash" TEXT NOT NULL,
    "value_wei" TEXT NOT NULL,
    "agent_signature" TEXT NOT NULL,
    "provider_confirmation" JSONB,
    "tx_hash" TEXT,
    "error" TEXT,
    "responded_at" TIMESTAMPTZ(3),
    "executed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "approval_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval_notifications" (
    "id" TEXT NOT NULL,
    "organization_id" UUID NOT NULL,
    "request_id" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval_responses" (
    "id" TEXT NOT NULL,
    "organization_id" UUID NOT NULL,
    "notification_id" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "response" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "device_id" TEXT,
    "raw_action" TEXT,
    "interpreted_action" TEXT,
    "user_agent" TEXT,
    "message_length" INTEGER,
    "passkey_id" UUID,
    "challenge_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_responses_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval_challenges" (
    "id" TEXT NOT NULL,
    "organization_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "request_id" TEXT NOT NULL,
    "subject_hash" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "challenge" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "consumed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_challenges_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "approval_agents_organization_id_address_key" ON "approval_agents"("organization_id", "address");

-- CreateIndex
CREATE INDEX "approval_drafts_organization_id_created_at_idx" ON "approval_drafts"("organization_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "approval_requests_draft_id_key" ON "approval_requests"("draft_id");

-- CreateIndex
CREATE UNIQUE INDEX "approval_requests_signing_request_id_key" ON "approval_requests"("signing_request_id");

-- CreateIndex
CREATE INDEX "approval_requests_organization_id_created_at_idx" ON "approval_requests"("organization_id", "created_at");

-- CreateIndex
CREATE INDEX "approval_requests_organization_id_status_idx" ON "approval_requests"("organization_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "approval_notifications_request_id_key" ON "approval_notifications"("request_id");

-- CreateIndex
CREATE INDEX "approval_notifications_organization_id_created_at_idx" ON "approval_notifications"("organization_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "approval_responses_notification_id_key" ON "approval_responses"("notification_id");

-- CreateIndex
CREATE UNIQUE INDEX "approval_challenges_challenge_key" ON "approval_challenges"("challenge");

-- CreateIndex
CREATE INDEX "approval_challenges_request_id_idx" ON "approval_challenges"("request_id");

-- AddForeignKey
ALTER TABLE "approval_drafts" ADD CONSTRAINT "approval_drafts_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "approval_agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_requests" ADD CONSTRAINT "approval_requests_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "approval_agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_requests" ADD CONSTRAINT "approval_requests_draft_id_fkey" FOREIGN KEY ("draft_id") REFERENCES "approval_drafts"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_notifications" ADD CONSTRAINT "approval_notifications_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "approval_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_responses" ADD CONSTRAINT "approval_responses_notification_id_fkey" FOREIGN KEY ("notification_id") REFERENCES "approval_notifications"("id") ON DELETE CASCADE ON UPDATE CASCADE;
