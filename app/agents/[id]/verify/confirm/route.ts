import { confirmVerify as contract } from "@/lib/api/trust";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { renameParam } from "@/lib/http/rename-param";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";
import { confirmVerification } from "@/lib/trust/callback";
import { parseSid } from "@/lib/trust/requests";
import { findOwned } from "@/lib/trust/store";

/** Seed 001's POST /agents/{sid}/verify/confirm (folder [id]: see ../../config/route.ts). */
const route = handle(contract, async ({ params, body, principal, ctx }) => {
  const found = await findOwned(db(), parseSid(params.sid), orgOf(principal));
  const r = await confirmVerification(db(), found, body.challenge_token, { actor: actorOf(principal), context: ctx });
  return { status: 200, body: { message: "Identity verified successfully", ...r } };
});

export const POST = renameParam("id", "sid", route);
