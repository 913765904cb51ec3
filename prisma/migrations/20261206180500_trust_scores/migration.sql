-- Trust scores (issue #15, seed 001 Signet): an agent's score is one face of its Agent record
-- (agents.signet_sid is its SID). lib/trust owns these tables. The score is folded into
-- trust_profiles and every input that changed it is kept (trust_events, trust_transactions), so
-- any score can be recomputed from its history alone. Challenge tokens are stored hashed.

-- CreateTable
CREATE TABLE "trust_profiles" (
    "agent_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "reliability" DOUBLE PRECISION NOT NULL,
    "quality" DOUBLE PRECISION NOT NULL,
    "financial" DOUBLE PRECISION NOT NULL,
    "security" DOUBLE PRECISION NOT NULL,
    "stability" DOUBLE PRECISION NOT NULL,
    "tx_count" INTEGER NOT NULL DEFAULT 0,
    "registered_at" TIMESTAMPTZ(3) NOT NULL,
    "last_activity_at" TIMESTAMPTZ(3) NOT NULL,
    "weeks_applied" INTEGER NOT NULL DEFAULT 0,
    "fingerprint" TEXT NOT NULL,
    "model_provider" TEXT NOT NULL,
    "model_name" TEXT NOT NULL,
    "system_prompt_hash" TEXT,
    "tools" TEXT[],
    "memory_config" JSONB,
    "identity_level" INTEGER NOT NULL DEFAULT 0,
    "last_updated" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trust_profiles_pkey" PRIMARY KEY ("agent_id"),
    CONSTRAINT "trust_profiles_identity_level" CHECK ("identity_level" IN (0, 1, 2))
);

-- CreateTable
CREATE TABLE "trust_events" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "agent_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "transaction_id" INTEGER,
    "change_type" TEXT,
    "reliability" DOUBLE PRECISION NOT NULL,
    "quality" DOUBLE PRECISION NOT NULL,
    "financial" DOUBLE PRECISION NOT NULL,
    "security" DOUBLE PRECISION NOT NULL,
    "stability" DOUBLE PRECISION NOT NULL,
    "composite" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "trust_events_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "trust_events_kind" CHECK ("kind" IN ('register', 'transaction', 'config_change', 'inactivity'))
);

-- CreateTable
CREATE TABLE "trust_transactions" (
    "id" SERIAL NOT NULL,
    "agent_id" UUID NOT NULL,
    "transaction_type" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "reliability_signal" DOUBLE PRECISION,
    "quality_signal" DOUBLE PRECISION,
    "financial_signal" DOUBLE PRECISION,
    "security_signal" DOUBLE PRECISION,
    "metadata" JSONB,
    "source" TEXT NOT NULL DEFAULT 'reported',
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "trust_transactions_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "trust_transactions_outcome" CHECK ("outcome" IN ('success', 'partial', 'failure', 'timeout', 'error')),
    CONSTRAINT "trust_transactions_source" CHECK ("source" IN ('reported', 'countersign'))
);

-- CreateTable
CREATE TABLE "trust_configs" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "agent_id" UUID NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "model_provider" TEXT NOT NULL,
    "model_name" TEXT NOT NULL,
    "system_prompt_hash" TEXT,
    "tools" TEXT[],
    "memory_config" JSONB,
    "change_type" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "trust_configs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "trust_challenges" (
    "id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "callback_url" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trust_challenges_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "trust_applications" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "company" TEXT,
    "reason" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trust_applications_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "trust_applications_status" CHECK ("status" IN ('pending', 'approved', 'rejected'))
);

-- CreateTable
CREATE TABLE "trust_operators" (
    "organization_id" UUID NOT NULL,
    "operator_id" SERIAL NOT NULL,

    CONSTRAINT "trust_operators_pkey" PRIMARY KEY ("organization_id")
);

-- CreateIndex
CREATE INDEX "trust_profiles_organization_id_idx" ON "trust_profiles"("organization_id");

-- CreateIndex
CREATE UNIQUE INDEX "trust_events_seq_key" ON "trust_events"("seq");

-- CreateIndex
CREATE INDEX "trust_events_agent_id_seq_idx" ON "trust_events"("agent_id", "seq");

-- CreateIndex
CREATE INDEX "trust_transactions_agent_id_id_idx" ON "trust_transactions"("agent_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "trust_configs_seq_key" ON "trust_configs"("seq");

-- CreateIndex
CREATE INDEX "trust_configs_agent_id_seq_idx" ON "trust_configs"("agent_id", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "trust_challenges_token_hash_key" ON "trust_challenges"("token_hash");

-- CreateIndex
CREATE INDEX "trust_challenges_agent_id_idx" ON "trust_challenges"("agent_id");

-- CreateIndex
CREATE UNIQUE INDEX "trust_applications_email_key" ON "trust_applications"("email");

-- CreateIndex
CREATE UNIQUE INDEX "trust_operators_operator_id_key" ON "trust_operators"("operator_id");

-- AddForeignKey
ALTER TABLE "trust_profiles" ADD CONSTRAINT "trust_profiles_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trust_events" ADD CONSTRAINT "trust_events_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "trust_profiles"("agent_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trust_transactions" ADD CONSTRAINT "trust_transactions_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "trust_profiles"("agent_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trust_configs" ADD CONSTRAINT "trust_configs_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "trust_profiles"("agent_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trust_challenges" ADD CONSTRAINT "trust_challenges_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "trust_profiles"("agent_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trust_operators" ADD CONSTRAINT "trust_operators_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
