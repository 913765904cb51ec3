import { reportTransaction as contract } from "@/lib/api/trust";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import { transactionRequest } from "@/lib/trust/requests";
import { findOwned, recordTransaction, scoreBody } from "@/lib/trust/store";

export const POST = handle(contract, async ({ body, principal }) => {
  const input = transactionRequest(body);
  const found = await findOwned(db(), input.sid, orgOf(principal));
  const r = await recordTransaction(db(), found.id, input);
  return { status: 200, body: { success: true as const, transaction_id: r.transactionId, updated_scores: scoreBody(r.view), message: "Transaction recorded and scores updated" } };
});
