import { listNetworks } from "@/lib/api/chain";
import { listEnabledNetworks } from "@/lib/chain/network-registry";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";

export const GET = handle(listNetworks, async () => ({ status: 200, body: { networks: await listEnabledNetworks(db()) } }));
