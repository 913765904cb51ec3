-- Transparency log at scale (issue #14).
-- The sequencer finds pending entries (no index yet) in insertion order without scanning the
-- sequenced ones. Partial: an SQL-only index Prisma cannot express.
CREATE INDEX "tlog_entries_pending" ON "tlog_entries"("seq") WHERE "leaf_index" IS NULL;

-- A full tile keeps its interior nodes (levels 1-7 of its subtree, 254 hashes), computed once when the
-- tile fills, so an inclusion proof reads them instead of hashing a tile's 256 hashes up again.
ALTER TABLE "tlog_tiles" ADD COLUMN "nodes" BYTEA;

-- A tile only grows; its interior nodes are written once and never change.
CREATE OR REPLACE FUNCTION "tlog_tiles_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'tlog_tiles is append-only'; END IF;
  IF length(NEW.hashes) < length(OLD.hashes) OR substring(NEW.hashes FROM 1 FOR length(OLD.hashes)) <> OLD.hashes
     OR (OLD.nodes IS NOT NULL AND NEW.nodes IS DISTINCT FROM OLD.nodes) THEN
    RAISE EXCEPTION 'tlog_tiles is append-only';
  END IF;
  RETURN NEW;
END;
$$;
