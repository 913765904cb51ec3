import { passkeyLoginChallenge } from "@/lib/api/auth";
import { loginOptions } from "@/lib/auth/passkeys";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";

export const POST = handle(passkeyLoginChallenge, async () => ({ status: 200, body: { options: await loginOptions(db()) } }));
