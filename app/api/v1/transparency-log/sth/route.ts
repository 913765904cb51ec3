import { tlogSth } from "@/lib/api/transparency-log";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { sth } from "@/lib/tlog/service";

export const GET = handle(tlogSth, async () => ({ status: 200, body: await sth(db()) }));
