import { tlogCheckpoint } from "@/lib/api/transparency-log";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { checkpointNote } from "@/lib/tlog/service";

export const GET = handle(tlogCheckpoint, async () => new Response(await checkpointNote(db()), { headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } }));
