-- CreateTable
CREATE TABLE "server_primes" (
    "id" UUID NOT NULL,
    "bits" INTEGER NOT NULL,
    "sealed" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "server_primes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "server_primes_bits_created_at_idx" ON "server_primes"("bits", "created_at");
