import { listApplications as contract } from "@/lib/api/trust-admin";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { listApplications } from "@/lib/trust/applications";

export const GET = handle(contract, async ({ query }) => ({ status: 200, body: { items: await listApplications(db(), query.status) } }));
