import { apply as contract } from "@/lib/api/trust";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { APPLICATION_RECEIVED, submitApplication } from "@/lib/trust/applications";

export const POST = handle(contract, async ({ body }) => {
  await submitApplication(db(), body);
  return { status: 201, body: { message: APPLICATION_RECEIVED } };
});
