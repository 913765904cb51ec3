-- Transparency log privacy (issue #14): a public leaf commits to its event with a per-leaf random salt;
-- the event and the salt stay here, given only to the organization's authorized readers with the proof.
-- Entries written before have neither (their leaf is the event itself).
ALTER TABLE "tlog_entries" ADD COLUMN "event" BYTEA, ADD COLUMN "salt" BYTEA;

-- The append-only guard now also keeps the event and the salt as written.
CREATE OR REPLACE FUNCTION "tlog_entries_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'tlog_entries is append-only'; END IF;
  IF OLD.leaf_index IS NOT NULL OR NEW.leaf IS DISTINCT FROM OLD.leaf OR NEW.leaf_hash IS DISTINCT FROM OLD.leaf_hash OR NEW.id IS DISTINCT FROM OLD.id
     OR NEW.event IS DISTINCT FROM OLD.event OR NEW.salt IS DISTINCT FROM OLD.salt THEN
    RAISE EXCEPTION 'tlog_entries is append-only';
  END IF;
  RETURN NEW;
END;
$$;
