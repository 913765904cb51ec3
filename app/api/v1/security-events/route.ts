import { listSecurityEvents as contract } from "@/lib/api/security";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { toPage } from "@/lib/http/pagination";
import { orgOf } from "@/lib/http/scope";
import { listSecurityEvents } from "@/lib/security/events";

export const GET = handle(contract, async ({ query, principal }) => ({
  status: 200,
  body: await listSecurityEvents(db(), orgOf(principal), toPage(query)),
}));
