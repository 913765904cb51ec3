import { me } from "@/lib/api/auth";
import { publicSession } from "@/lib/auth/present";
import { handle } from "@/lib/http/handle";
import { userOf } from "@/lib/http/scope";

export const GET = handle(me, async ({ principal }) => ({ status: 200, body: publicSession(userOf(principal).session) }));
