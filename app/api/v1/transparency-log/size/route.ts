import { tlogSize } from "@/lib/api/transparency-log";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { treeSize } from "@/lib/tlog/service";

export const GET = handle(tlogSize, async () => ({ status: 200, body: { tree_size: await treeSize(db()) } }));
