-- The gateway's hot path (issue #13, performance): a per-organization version of everything a check
-- decides with, bumped by triggers on every write to it — agents (status, name, seed 002 id, tool allow-list),
-- signers (their agent, deletion), rules documents, tool policies, gateway settings — so each app
-- instance caches that configuration and revalidates it with one read per batch of checks, whoever
-- wrote the change. And the per-agent rate-limit window (per-second counts, per agent and per
-- agent+tool) beside the anomaly statistics, so a check counts its rate from the row it locks anyway.

-- CreateTable
CREATE TABLE "gateway_config_versions" (
    "organization_id" UUID NOT NULL,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "gateway_config_versions_pkey" PRIMARY KEY ("organization_id")
);

-- AlterTable
ALTER TABLE "gateway_agent_stats" ADD COLUMN "rate_window" JSONB NOT NULL DEFAULT '{}';

-- No foreign key: rows of a deleted organization's children bump it while the organization goes.
CREATE FUNCTION "gateway_config_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO "gateway_config_versions" ("organization_id", "version") VALUES (NEW."organization_id", 1)
      ON CONFLICT ("organization_id") DO UPDATE SET "version" = "gateway_config_versions"."version" + 1;
  END IF;
  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD."organization_id" IS DISTINCT FROM NEW."organization_id") THEN
    INSERT INTO "gateway_config_versions" ("organization_id", "version") VALUES (OLD."organization_id", 1)
      ON CONFLICT ("organization_id") DO UPDATE SET "version" = "gateway_config_versions"."version" + 1;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "gateway_policies_config_bump" AFTER INSERT OR UPDATE OR DELETE ON "gateway_policies" FOR EACH ROW EXECUTE FUNCTION "gateway_config_bump"();
CREATE TRIGGER "gateway_settings_config_bump" AFTER INSERT OR UPDATE OR DELETE ON "gateway_settings" FOR EACH ROW EXECUTE FUNCTION "gateway_config_bump"();
CREATE TRIGGER "policy_documents_config_bump" AFTER INSERT OR UPDATE OR DELETE ON "policy_documents" FOR EACH ROW EXECUTE FUNCTION "gateway_config_bump"();
-- A new agent changes no cached one (an instance looks an unknown agent up); a new signer may carry rules for a cached agent.
CREATE TRIGGER "agents_config_bump" AFTER DELETE ON "agents" FOR EACH ROW EXECUTE FUNCTION "gateway_config_bump"();
CREATE TRIGGER "agents_update_config_bump" AFTER UPDATE ON "agents" FOR EACH ROW
  WHEN (OLD."status" IS DISTINCT FROM NEW."status" OR OLD."name" IS DISTINCT FROM NEW."name" OR OLD."aegis_agent_id" IS DISTINCT FROM NEW."aegis_agent_id" OR OLD."organization_id" IS DISTINCT FROM NEW."organization_id"
    OR OLD."tool_allow_list" IS DISTINCT FROM NEW."tool_allow_list")
  EXECUTE FUNCTION "gateway_config_bump"();
CREATE TRIGGER "signers_config_bump" AFTER INSERT OR DELETE ON "signers" FOR EACH ROW EXECUTE FUNCTION "gateway_config_bump"();
CREATE TRIGGER "signers_agent_config_bump" AFTER UPDATE ON "signers" FOR EACH ROW
  WHEN (OLD."agent_id" IS DISTINCT FROM NEW."agent_id" OR OLD."deleted_at" IS DISTINCT FROM NEW."deleted_at" OR OLD."organization_id" IS DISTINCT FROM NEW."organization_id")
  EXECUTE FUNCTION "gateway_config_bump"();
