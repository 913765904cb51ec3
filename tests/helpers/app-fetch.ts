/** A fetch that serves the app's route handlers in-process, for SDK tests. */
import { GET as signer } from "@/app/api/v1/signer/route";
import { POST as signSession } from "@/app/api/v1/sign/session/route";
import { POST as signRound } from "@/app/api/v1/sign/round/route";
import { POST as signComplete } from "@/app/api/v1/sign/complete/route";
import { POST as messageSession } from "@/app/api/v1/sign-message/session/route";
import { POST as messageComplete } from "@/app/api/v1/sign-message/complete/route";
import { POST as dkgJoin } from "@/app/api/v1/dkg/join/route";
import { POST as dkgAgentRound } from "@/app/api/v1/dkg/agent/round/route";
import { POST as dkgAgentConfirm } from "@/app/api/v1/dkg/agent/confirm/route";

type Handler = (req: Request, ctx?: { params: Promise<unknown> }) => Promise<Response>;
const routes: Record<string, Handler> = {
  "GET /api/v1/signer": signer,
  "POST /api/v1/sign/session": signSession,
  "POST /api/v1/sign/round": signRound,
  "POST /api/v1/sign/complete": signComplete,
  "POST /api/v1/sign-message/session": messageSession,
  "POST /api/v1/sign-message/complete": messageComplete,
  "POST /api/v1/dkg/join": dkgJoin,
  "POST /api/v1/dkg/agent/round": dkgAgentRound,
  "POST /api/v1/dkg/agent/confirm": dkgAgentConfirm,
};

export const appFetch: typeof fetch = async (input, init) => {
  const req = new Request(input as string | URL, init);
  const handler = routes[`${req.method} ${new URL(req.url).pathname}`];
  if (!handler) return new Response(JSON.stringify({ statusCode: 404, message: "no route" }), { status: 404 });
  return handler(req, { params: Promise.resolve({}) });
};
