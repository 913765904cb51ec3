import { siweNonce } from "@/lib/api/auth";
import { siweNonce as issueNonce } from "@/lib/auth/accounts";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";

export const POST = handle(siweNonce, async () => ({ status: 200, body: { nonce: await issueNonce(db()) } }));
