-- Key custody (issue #10): the client parties' long-term Ed25519 identities, public keys only.
-- agent_identity_key: the identity the agent signed its key generation with (kept in its share file);
-- user_identity_key: derived from the secret that seals the user share. Signing sessions of a signer
-- that has one must be signed by it, or by a session key it certified. NULL for signers from before.
ALTER TABLE "signers" ADD COLUMN "agent_identity_key" TEXT;
ALTER TABLE "signers" ADD COLUMN "user_identity_key" TEXT;
