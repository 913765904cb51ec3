-- CreateEnum
CREATE TYPE "SignerStatus" AS ENUM ('creating', 'active', 'paused', 'failed');

-- CreateEnum
CREATE TYPE "CeremonyKind" AS ENUM ('dkg', 'sign');

-- CreateEnum
CREATE TYPE "CeremonyStatus" AS ENUM ('open', 'pending_approval', 'completed', 'aborted', 'rejected', 'expired');

-- CreateTable
CREATE TABLE "signers" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "status" "SignerStatus" NOT NULL DEFAULT 'creating',
    "chain_id" INTEGER NOT NULL,
    "address" TEXT,
    "public_key" TEXT,
    "threshold" INTEGER NOT NULL DEFAULT 2,
    "parties" INTEGER NOT NULL DEFAULT 3,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "signers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "signer_shares" (
    "signer_id" UUID NOT NULL,
    "sealed" JSONB NOT NULL,
    "public" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "signer_shares_pkey" PRIMARY KEY ("signer_id")
);

-- CreateTable
CREATE TABLE "user_shares" (
    "signer_id" UUID NOT NULL,
    "ciphertext" TEXT NOT NULL,
    "encryption" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "user_shares_pkey" PRIMARY KEY ("signer_id")
);

-- CreateTable
CREATE TABLE "ceremonies" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "signer_id" UUID NOT NULL,
    "kind" "CeremonyKind" NOT NULL,
    "status" "CeremonyStatus" NOT NULL DEFAULT 'open',
    "phase" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "server_party" INTEGER NOT NULL,
    "parties" INTEGER[],
    "server_state" JSONB,
    "context" JSONB NOT NULL,
    "result" JSONB,
    "blame" JSONB,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "ceremonies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ceremony_messages" (
    "seq" BIGSERIAL NOT NULL,
    "ceremony_id" UUID NOT NULL,
    "phase" TEXT NOT NULL,
    "from_party" INTEGER NOT NULL,
    "to_party" INTEGER,
    "body" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ceremony_messages_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "ceremony_submissions" (
    "ceremony_id" UUID NOT NULL,
    "party" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "request_hash" TEXT NOT NULL,
    "response" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ceremony_submissions_pkey" PRIMARY KEY ("ceremony_id","party","seq")
);

-- CreateIndex
CREATE INDEX "signers_organization_id_status_idx" ON "signers"("organization_id", "status");

-- CreateIndex
CREATE INDEX "ceremonies_signer_id_created_at_idx" ON "ceremonies"("signer_id", "created_at");

-- CreateIndex
CREATE INDEX "ceremonies_status_expires_at_idx" ON "ceremonies"("status", "expires_at");

-- CreateIndex
CREATE INDEX "ceremony_messages_ceremony_id_seq_idx" ON "ceremony_messages"("ceremony_id", "seq");

-- AddForeignKey
ALTER TABLE "signers" ADD CONSTRAINT "signers_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "signer_shares" ADD CONSTRAINT "signer_shares_signer_id_fkey" FOREIGN KEY ("signer_id") REFERENCES "signers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_shares" ADD CONSTRAINT "user_shares_signer_id_fkey" FOREIGN KEY ("signer_id") REFERENCES "signers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ceremonies" ADD CONSTRAINT "ceremonies_signer_id_fkey" FOREIGN KEY ("signer_id") REFERENCES "signers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ceremony_messages" ADD CONSTRAINT "ceremony_messages_ceremony_id_fkey" FOREIGN KEY ("ceremony_id") REFERENCES "ceremonies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ceremony_submissions" ADD CONSTRAINT "ceremony_submissions_ceremony_id_fkey" FOREIGN KEY ("ceremony_id") REFERENCES "ceremonies"("id") ON DELETE CASCADE ON UPDATE CASCADE;
