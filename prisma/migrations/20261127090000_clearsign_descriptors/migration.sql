-- Clear-signing overlay: an organization's own ERC-7730 calldata descriptors.

-- CreateTable
CREATE TABLE "clearsign_descriptors" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "descriptor" JSONB NOT NULL,
    "deployments" TEXT[],
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "clearsign_descriptors_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "clearsign_descriptors_organization_id_deleted_at_idx" ON "clearsign_descriptors"("organization_id", "deleted_at");
