-- Transparency log privacy (issue #14): a public leaf commits to its event with a per-leaf random salt;
-- the event and the salt stay here, given only to the organization's authorized readers with the proof.
-- Entries written before have neither (their leaf is the event itself).
ALTER TABLE "tlog_entries" ADD COLUMN "event" BYTEA, ADD COLUMN "salt" BYTEA;

-- The append-only guard also keeps the event and the salt as written. Its condition moves into the
-- triggers' WHEN (evaluated without calling PL/pgSQL), so the sequencer's one-time index assignment
-- of thousands of rows per batch does not run a function per row; the function runs only to refuse.
CREATE OR REPLACE FUNCTION "tlog_entries_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'tlog_entries is append-only';
END;
$$;

DROP TRIGGER "tlog_entries_append_only" ON "tlog_entries";

CREATE TRIGGER "tlog_entries_append_only" BEFORE UPDATE ON "tlog_entries" FOR EACH ROW
  WHEN (OLD.leaf_index IS NOT NULL OR NEW.leaf IS DISTINCT FROM OLD.leaf OR NEW.leaf_hash IS DISTINCT FROM OLD.leaf_hash
        OR NEW.id IS DISTINCT FROM OLD.id OR NEW.event IS DISTINCT FROM OLD.event OR NEW.salt IS DISTINCT FROM OLD.salt)
  EXECUTE FUNCTION "tlog_entries_guard"();

CREATE TRIGGER "tlog_entries_no_delete" BEFORE DELETE ON "tlog_entries" FOR EACH ROW
  EXECUTE FUNCTION "tlog_entries_guard"();
