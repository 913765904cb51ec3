-- Transparency log witnesses (issue #14): the tree size each configured witness last cosigned (or
-- reported in a 409), shared by every app instance, so a consistency proof is sent from the right size.
CREATE TABLE "tlog_witness_sizes" (
    "witness_vkey" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "tree_size" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tlog_witness_sizes_pkey" PRIMARY KEY ("witness_vkey")
);
