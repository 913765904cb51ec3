-- The mock passport's member assertion: who confirmed the scan with a passkey, in which organization, when.
ALTER TABLE "identity_sessions" ADD COLUMN "asserted_by" UUID;
ALTER TABLE "identity_sessions" ADD COLUMN "asserted_organization_id" UUID;
ALTER TABLE "identity_sessions" ADD COLUMN "asserted_at" TIMESTAMPTZ(3);
