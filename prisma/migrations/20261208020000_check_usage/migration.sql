-- Gateway checks per month (issue #18, plan limit checksPerMonth): one counter row per organization
-- and calendar month (UTC), incremented by one upsert per organization per recorded batch of checks.
-- "last_granted" is what the last upsert granted (RETURNING sees only the new row).
-- Counting the month's rows of gateway_checks instead reads every row of the month on each check.

-- CreateTable
CREATE TABLE "check_usage" (
    "organization_id" UUID NOT NULL,
    "month" DATE NOT NULL,
    "checks" INTEGER NOT NULL DEFAULT 0,
    "last_granted" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "check_usage_pkey" PRIMARY KEY ("organization_id", "month")
);

-- AddForeignKey
ALTER TABLE "check_usage" ADD CONSTRAINT "check_usage_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
