-- CreateTable
CREATE TABLE "paillier_nonces" (
    "id" UUID NOT NULL,
    "signer_id" UUID NOT NULL,
    "modulus" TEXT NOT NULL,
    "sealed" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "paillier_nonces_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "paillier_nonces_signer_id_modulus_created_at_idx" ON "paillier_nonces"("signer_id", "modulus", "created_at");

-- AddForeignKey
ALTER TABLE "paillier_nonces" ADD CONSTRAINT "paillier_nonces_signer_id_fkey" FOREIGN KEY ("signer_id") REFERENCES "signers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
