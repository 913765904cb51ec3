-- The development outbox holds verification links (single-use tokens): its bodies are now sealed
-- under the master key (lib/keystore, associated data outbox:<id>), like every other secret at rest.
-- SQL cannot seal, so mail captured before this migration is deleted (development-only mail).
DELETE FROM "outbox_messages";
ALTER TABLE "outbox_messages" DROP COLUMN "text";
ALTER TABLE "outbox_messages" ADD COLUMN "sealed" JSONB NOT NULL;
CREATE INDEX "outbox_messages_to_created_at_idx" ON "outbox_messages"("to", "created_at");
