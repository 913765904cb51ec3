-- Trust scores (issue #15), the parts left: an instance admin's decision on a seed 001 operator
-- application, and an organization's switch for Countersign's own evidence in its agents' scores.
ALTER TABLE "trust_applications"
    ADD COLUMN "decided_at" TIMESTAMPTZ(3),
    ADD COLUMN "decided_by_id" UUID,
    ADD COLUMN "rejection_reason" TEXT,
    ADD COLUMN "organization_id" UUID;

CREATE INDEX "trust_applications_status_created_at_idx" ON "trust_applications"("status", "created_at");

ALTER TABLE "trust_operators" ADD COLUMN "countersign_evidence" BOOLEAN NOT NULL DEFAULT false;
