import { a2aServiceCard as contract } from "@/lib/api/a2a";
import { env } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { signedServiceCard } from "@/lib/a2a/card";

export const GET = handle(contract, async () => ({ status: 200, body: await signedServiceCard(db(), env().origin), headers: { "cache-control": "public, max-age=300" } }));
