-- CreateTable
CREATE TABLE "networks" (
    "chain_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "rpc_url" TEXT NOT NULL,
    "explorer_url" TEXT,
    "native_name" TEXT NOT NULL,
    "native_symbol" TEXT NOT NULL,
    "native_decimals" INTEGER NOT NULL DEFAULT 18,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "is_devnet" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "networks_pkey" PRIMARY KEY ("chain_id")
);

-- CreateTable
CREATE TABLE "known_contracts" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "chain_id" INTEGER NOT NULL,
    "address" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "abi" JSONB,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "known_contracts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "known_contracts_organization_id_chain_id_address_key" ON "known_contracts"("organization_id", "chain_id", "address");

-- AddForeignKey
ALTER TABLE "known_contracts" ADD CONSTRAINT "known_contracts_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
