-- CreateTable
CREATE TABLE "tracked_tokens" (
    "id" UUID NOT NULL,
    "signer_id" UUID NOT NULL,
    "chain_id" INTEGER NOT NULL,
    "address" TEXT NOT NULL,
    "symbol" TEXT NOT NULL,
    "decimals" INTEGER NOT NULL,
    "name" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tracked_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "tracked_tokens_signer_id_chain_id_address_key" ON "tracked_tokens"("signer_id", "chain_id", "address");

-- AddForeignKey
ALTER TABLE "tracked_tokens" ADD CONSTRAINT "tracked_tokens_signer_id_fkey" FOREIGN KEY ("signer_id") REFERENCES "signers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
