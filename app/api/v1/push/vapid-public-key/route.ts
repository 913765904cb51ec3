import { vapidPublicKey as contract } from "@/lib/api/push";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { vapidPublicKey } from "@/lib/push/vapid";

export const GET = handle(contract, async () => ({ status: 200, body: { publicKey: await vapidPublicKey(db()) } }));
