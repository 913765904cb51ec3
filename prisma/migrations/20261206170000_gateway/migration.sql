-- The tool-call gateway (seed 002, issue #13): tool policies (an organization's own and its
-- overrides of the platform templates), gated checks (arguments sealed under the master key, with a
-- SHA-256 digest), per-agent streaming statistics for the anomaly score, traces and settings.

-- CreateTable
CREATE TABLE "gateway_policies" (
    "organization_id" UUID NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "policy_schema" JSONB NOT NULL,
    "risk_level" TEXT NOT NULL,
    "on_match" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "gateway_policies_pkey" PRIMARY KEY ("organization_id","id"),
    CONSTRAINT "gateway_policies_risk_level" CHECK ("risk_level" IN ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    CONSTRAINT "gateway_policies_on_match" CHECK ("on_match" IN ('block', 'pending'))
);

-- CreateTable
CREATE TABLE "gateway_checks" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    "agent_ref" TEXT NOT NULL,
    "tool_name" TEXT NOT NULL,
    "arguments_sealed" JSONB NOT NULL,
    "arguments_digest" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "initial_decision" TEXT NOT NULL,
    "policy_name" TEXT NOT NULL,
    "risk_level" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "signals" JSONB NOT NULL,
    "anomaly_score" DOUBLE PRECISION NOT NULL,
    "anomaly_signals" JSONB NOT NULL,
    "reasons" JSONB NOT NULL,
    "expires_at" TIMESTAMPTZ(3),
    "decided_by" TEXT,
    "decided_by_user_id" UUID,
    "decided_by_credential_id" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "trace_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "gateway_checks_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "gateway_checks_decision" CHECK ("decision" IN ('allow', 'block', 'pending')),
    CONSTRAINT "gateway_checks_anomaly_score" CHECK ("anomaly_score" >= 0 AND "anomaly_score" <= 1)
);

-- CreateTable
CREATE TABLE "gateway_agent_stats" (
    "agent_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "calls" INTEGER NOT NULL DEFAULT 0,
    "ewma_interval" DOUBLE PRECISION,
    "ewma_blocks" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "last_call_at" TIMESTAMPTZ(3),
    "tools" JSONB NOT NULL DEFAULT '{}',
    "shapes" JSONB NOT NULL DEFAULT '[]',
    "hours" JSONB NOT NULL DEFAULT '[]',
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "gateway_agent_stats_pkey" PRIMARY KEY ("agent_id")
);

-- CreateTable
CREATE TABLE "gateway_traces" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "agent_ref" TEXT NOT NULL,
    "check_id" UUID,
    "tool_name" TEXT NOT NULL,
    "decision" TEXT,
    "blocked" BOOLEAN NOT NULL DEFAULT false,
    "duration_ms" INTEGER,
    "status" TEXT,
    "payload_sealed" JSONB,
    "payload_digest" TEXT,
    "source" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "gateway_traces_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "gateway_settings" (
    "organization_id" UUID NOT NULL,
    "anomaly_threshold" DOUBLE PRECISION NOT NULL DEFAULT 0.8,
    "agent_rate_per_minute" INTEGER NOT NULL DEFAULT 600,
    "tool_rate_per_minute" INTEGER NOT NULL DEFAULT 120,
    "pending_ttl_seconds" INTEGER NOT NULL DEFAULT 900,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "gateway_settings_pkey" PRIMARY KEY ("organization_id")
);

-- CreateIndex
CREATE INDEX "gateway_checks_organization_id_created_at_idx" ON "gateway_checks"("organization_id", "created_at");
CREATE INDEX "gateway_checks_organization_id_decision_created_at_idx" ON "gateway_checks"("organization_id", "decision", "created_at");
CREATE INDEX "gateway_checks_agent_id_created_at_idx" ON "gateway_checks"("agent_id", "created_at");
CREATE INDEX "gateway_checks_agent_id_tool_name_created_at_idx" ON "gateway_checks"("agent_id", "tool_name", "created_at");
CREATE INDEX "gateway_checks_organization_id_anomaly_score_idx" ON "gateway_checks"("organization_id", "anomaly_score");
CREATE INDEX "gateway_traces_organization_id_occurred_at_idx" ON "gateway_traces"("organization_id", "occurred_at");
CREATE INDEX "gateway_traces_organization_id_agent_ref_occurred_at_idx" ON "gateway_traces"("organization_id", "agent_ref", "occurred_at");

-- AddForeignKey
ALTER TABLE "gateway_policies" ADD CONSTRAINT "gateway_policies_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "gateway_checks" ADD CONSTRAINT "gateway_checks_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "gateway_checks" ADD CONSTRAINT "gateway_checks_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "gateway_agent_stats" ADD CONSTRAINT "gateway_agent_stats_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "gateway_traces" ADD CONSTRAINT "gateway_traces_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "gateway_settings" ADD CONSTRAINT "gateway_settings_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
