-- Transparency log (issue #14): the sequencer finds pending entries (no index yet) in insertion order
-- without scanning the sequenced ones. Partial: an SQL-only index Prisma cannot express.
CREATE INDEX "tlog_entries_pending" ON "tlog_entries"("seq") WHERE "leaf_index" IS NULL;
