import { startVerify as contract } from "@/lib/api/trust";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { renameParam } from "@/lib/http/rename-param";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";
import { CHALLENGE_TTL_SECONDS, startVerification } from "@/lib/trust/callback";
import { parseSid } from "@/lib/trust/requests";
import { findOwned } from "@/lib/trust/store";

/** Seed 001's POST /agents/{sid}/verify (folder [id]: see ../config/route.ts). */
const route = handle(contract, async ({ params, body, principal, ctx }) => {
  const found = await findOwned(db(), parseSid(params.sid), orgOf(principal));
  await startVerification(db(), found, body.callbackUrl, { actor: actorOf(principal), context: ctx });
  return { status: 202, body: { message: "Verification challenge sent to callback URL", expires_in: CHALLENGE_TTL_SECONDS as 600 } };
});

export const POST = renameParam("id", "sid", route);
