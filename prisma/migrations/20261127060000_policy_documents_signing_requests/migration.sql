-- CreateEnum
CREATE TYPE "PolicyDocumentStatus" AS ENUM ('draft', 'active', 'superseded');

-- CreateEnum
CREATE TYPE "SigningRequestStatus" AS ENUM ('reserved', 'pending_approval', 'committed', 'released', 'denied', 'rejected');

-- CreateTable
CREATE TABLE "policy_documents" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "signer_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "status" "PolicyDocumentStatus" NOT NULL,
    "rules" JSONB NOT NULL,
    "created_by_id" UUID,
    "activated_by_id" UUID,
    "activated_at" TIMESTAMPTZ(3),
    "superseded_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "policy_documents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "signing_requests" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "signer_id" UUID NOT NULL,
    "ceremony_id" UUID,
    "mode" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "request" JSONB NOT NULL,
    "spend" JSONB NOT NULL,
    "outcome" TEXT NOT NULL,
    "status" "SigningRequestStatus" NOT NULL,
    "decision" JSONB NOT NULL,
    "message_hash" TEXT,
    "tx_hash" TEXT,
    "decided_by_id" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "signing_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "policy_documents_signer_id_version_key" ON "policy_documents"("signer_id", "version");

-- CreateIndex
CREATE INDEX "policy_documents_signer_id_status_idx" ON "policy_documents"("signer_id", "status");

-- One draft and one active document per signer at most.
CREATE UNIQUE INDEX "policy_documents_one_draft_active" ON "policy_documents"("signer_id", "status") WHERE "status" IN ('draft', 'active');

-- CreateIndex
CREATE UNIQUE INDEX "signing_requests_ceremony_id_key" ON "signing_requests"("ceremony_id");

-- CreateIndex
CREATE INDEX "signing_requests_signer_id_created_at_idx" ON "signing_requests"("signer_id", "created_at");

-- CreateIndex
CREATE INDEX "signing_requests_signer_id_status_idx" ON "signing_requests"("signer_id", "status");

-- CreateIndex
CREATE INDEX "signing_requests_organization_id_status_idx" ON "signing_requests"("organization_id", "status");

-- AddForeignKey
ALTER TABLE "policy_documents" ADD CONSTRAINT "policy_documents_signer_id_fkey" FOREIGN KEY ("signer_id") REFERENCES "signers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "signing_requests" ADD CONSTRAINT "signing_requests_signer_id_fkey" FOREIGN KEY ("signer_id") REFERENCES "signers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "signing_requests" ADD CONSTRAINT "signing_requests_ceremony_id_fkey" FOREIGN KEY ("ceremony_id") REFERENCES "ceremonies"("id") ON DELETE SET NULL ON UPDATE CASCADE;
