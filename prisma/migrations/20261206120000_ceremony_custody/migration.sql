-- Key custody (issue #10): nothing at rest rebuilds a share.
-- Point-to-point ceremony messages are now sealed under the master key with the ceremony, sender,
-- receiver, protocol and round as associated data; the round gets its own column so the associated
-- data can be rebuilt without opening the body. Submissions keep an HMAC of the request and a sealed
-- answer. A background sweep deletes an ended ceremony's point-to-point messages and submissions
-- after a grace period and records when it did in ceremonies.wiped_at.

-- AlterTable
ALTER TABLE "ceremony_messages" ADD COLUMN "round" INTEGER;
UPDATE "ceremony_messages" SET "round" = COALESCE(("body"->>'round')::int, 0);
ALTER TABLE "ceremony_messages" ALTER COLUMN "round" SET NOT NULL;

-- AlterTable
ALTER TABLE "ceremonies" ADD COLUMN "wiped_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "ceremonies_status_wiped_at_idx" ON "ceremonies"("status", "wiped_at");

-- Rows written before this migration hold point-to-point messages (Feldman shares among them) and
-- submission answers in plaintext, which SQL cannot seal. A ceremony still open with such rows is
-- ended (its clients start a new one; the sweep releases its spend reservation), and every ended
-- ceremony's point-to-point messages and submissions are deleted now.
UPDATE "ceremonies" c SET "status" = 'expired', "server_state" = NULL, "completed_at" = COALESCE(c."completed_at", now()), "updated_at" = now()
WHERE c."status" = 'open' AND (
  EXISTS (SELECT 1 FROM "ceremony_messages" m WHERE m."ceremony_id" = c."id" AND m."to_party" IS NOT NULL)
  OR EXISTS (SELECT 1 FROM "ceremony_submissions" s WHERE s."ceremony_id" = c."id"));

DELETE FROM "ceremony_messages" m USING "ceremonies" c
WHERE m."ceremony_id" = c."id" AND m."to_party" IS NOT NULL AND c."status" IN ('completed', 'aborted', 'expired', 'rejected');

DELETE FROM "ceremony_submissions" s USING "ceremonies" c
WHERE s."ceremony_id" = c."id" AND c."status" IN ('completed', 'aborted', 'expired', 'rejected');

-- Their spend reservations are given back here: the sweep releases only ceremonies not yet wiped.
UPDATE "signing_requests" r SET "status" = 'released', "updated_at" = now()
FROM "ceremonies" c
WHERE c."id" = r."ceremony_id" AND c."status" IN ('aborted', 'expired', 'rejected') AND r."status" IN ('reserved', 'pending_approval');

UPDATE "ceremonies" SET "server_state" = NULL, "wiped_at" = now()
WHERE "status" IN ('completed', 'aborted', 'expired', 'rejected');
