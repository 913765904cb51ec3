import { tlogProof } from "@/lib/api/transparency-log";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { inclusion } from "@/lib/tlog/service";

export const GET = handle(tlogProof, async ({ params, query }) => ({ status: 200, body: await inclusion(db(), params.leaf_index, query.tree_size) }));
