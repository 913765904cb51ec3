import { a2aCardJwks as contract } from "@/lib/api/a2a";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { cardJwks } from "@/lib/a2a/card-keys";

export const GET = handle(contract, async () => ({ status: 200, body: await cardJwks(db()), headers: { "cache-control": "public, max-age=300" } }));
