-- Transparency log (issue #14, lib/tlog): entries (leaves; leaf_index set by the sequencer, gap-free),
-- tiles (C2SP tlog-tiles, 256 hashes per tile), the log's state and key (sealed), signed checkpoints.
-- Entries, tiles and checkpoints are append-only except the sequencer's one-time leaf_index/sequenced_at
-- assignment and the growth of a level's last (partial) tile, which triggers enforce.

-- CreateTable
CREATE TABLE "tlog_entries" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "leaf_index" BIGINT,
    "kind" TEXT NOT NULL,
    "organization_id" UUID,
    "decision_id" TEXT,
    "leaf" BYTEA NOT NULL,
    "leaf_hash" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sequenced_at" TIMESTAMPTZ(3),

    CONSTRAINT "tlog_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tlog_tiles" (
    "level" INTEGER NOT NULL,
    "tile_index" BIGINT NOT NULL,
    "hashes" BYTEA NOT NULL,

    CONSTRAINT "tlog_tiles_pkey" PRIMARY KEY ("level","tile_index")
);

-- CreateTable
CREATE TABLE "tlog_state" (
    "id" INTEGER NOT NULL,
    "origin" TEXT NOT NULL,
    "tree_size" BIGINT NOT NULL,
    "root_hash" BYTEA NOT NULL,
    "public_key" BYTEA NOT NULL,
    "sealed_private_key" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tlog_state_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tlog_checkpoints" (
    "tree_size" BIGINT NOT NULL,
    "root_hash" BYTEA NOT NULL,
    "note" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tlog_checkpoints_pkey" PRIMARY KEY ("tree_size")
);

-- CreateIndex
CREATE UNIQUE INDEX "tlog_entries_seq_key" ON "tlog_entries"("seq");

-- CreateIndex
CREATE UNIQUE INDEX "tlog_entries_leaf_index_key" ON "tlog_entries"("leaf_index");

-- CreateIndex
CREATE INDEX "tlog_entries_decision_id_idx" ON "tlog_entries"("decision_id");

-- CreateIndex
CREATE INDEX "tlog_checkpoints_created_at_idx" ON "tlog_checkpoints"("created_at");

-- An entry's leaf never changes and its index is given once; entries are never deleted.
CREATE FUNCTION "tlog_entries_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'tlog_entries is append-only'; END IF;
  IF OLD.leaf_index IS NOT NULL OR NEW.leaf IS DISTINCT FROM OLD.leaf OR NEW.leaf_hash IS DISTINCT FROM OLD.leaf_hash OR NEW.id IS DISTINCT FROM OLD.id THEN
    RAISE EXCEPTION 'tlog_entries is append-only';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "tlog_entries_append_only" BEFORE UPDATE OR DELETE ON "tlog_entries"
  FOR EACH ROW EXECUTE FUNCTION "tlog_entries_guard"();

-- A tile only grows: its old hashes stay a prefix of the new ones.
CREATE FUNCTION "tlog_tiles_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'tlog_tiles is append-only'; END IF;
  IF length(NEW.hashes) < length(OLD.hashes) OR substring(NEW.hashes FROM 1 FOR length(OLD.hashes)) <> OLD.hashes THEN
    RAISE EXCEPTION 'tlog_tiles is append-only';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "tlog_tiles_append_only" BEFORE UPDATE OR DELETE ON "tlog_tiles"
  FOR EACH ROW EXECUTE FUNCTION "tlog_tiles_guard"();

CREATE FUNCTION "tlog_checkpoints_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'tlog_checkpoints is append-only';
END;
$$;

CREATE TRIGGER "tlog_checkpoints_append_only" BEFORE UPDATE OR DELETE ON "tlog_checkpoints"
  FOR EACH ROW EXECUTE FUNCTION "tlog_checkpoints_guard"();
