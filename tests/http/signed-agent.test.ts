/**
 * The hook for seed 003's signed agent requests (x-self-agent-* headers): routes that accept
 * `signedAgent` ask the registered verifier; without one such a request is refused, never let
 * through; routes that do not accept it ignore the headers.
 */
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { registerSignedAgentVerifier, SELF_AGENT_HEADERS } from "@/lib/auth/signed-agent";
import { defineRoute } from "@/lib/http/contract";
import { UnauthorizedError } from "@/lib/http/errors";
import { handle } from "@/lib/http/handle";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";

useTestDatabase();

const AGENT = "0x00000000000000000000000000000000000a9e47";
const signed = { [SELF_AGENT_HEADERS.address]: AGENT, [SELF_AGENT_HEADERS.signature]: "0xsig", [SELF_AGENT_HEADERS.timestamp]: "1765000000000" };

function probe(auth: ("signedAgent" | "apiKey")[]) {
  const contract = defineRoute({ method: "GET", path: "/probe/signed", summary: "test probe", tags: ["Test"], auth, family: "error", responses: { 200: z.object({ who: z.string(), kind: z.string() }) } });
  return handle(contract, async ({ principal }) => ({ status: 200, body: { kind: principal.type, who: principal.type === "signed_agent" ? principal.agent.agentAddress : "-" } }));
}

afterEach(() => registerSignedAgentVerifier(null));

describe("signed agent requests (seed 003 hook)", () => {
  it("without a verifier, a signed request is refused with 401 in the route's family body", async () => {
    const r = await call(probe(["signedAgent"]), "GET", "/probe/signed", { headers: signed });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ error: "Signed agent requests cannot be verified on this server yet" });
    expect((await call(probe(["signedAgent"]), "GET", "/probe/signed")).status).toBe(401);
  });

  it("with a verifier, the route sees a signed_agent principal; a verifier's refusal is the answer", async () => {
    const seen: string[] = [];
    registerSignedAgentVerifier(async (req) => {
      seen.push(req.headers.get(SELF_AGENT_HEADERS.timestamp)!);
      if (req.headers.get(SELF_AGENT_HEADERS.signature) !== "0xsig") throw new UnauthorizedError("Invalid agent signature");
      return { agentAddress: AGENT, chainId: 11142220, agentId: "7", recordId: null, organizationId: null };
    });
    const ok = await call(probe(["signedAgent"]), "GET", "/probe/signed", { headers: signed });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ kind: "signed_agent", who: AGENT });
    expect(seen).toEqual(["1765000000000"]);
    const forged = await call(probe(["signedAgent"]), "GET", "/probe/signed", { headers: { ...signed, [SELF_AGENT_HEADERS.signature]: "0xother" } });
    expect(forged.status).toBe(401);
    expect(forged.json).toEqual({ error: "Invalid agent signature" });
  });

  it("a route that does not accept signed agents ignores the headers (and never calls the verifier)", async () => {
    let calls = 0;
    registerSignedAgentVerifier(async () => {
      calls++;
      return { agentAddress: AGENT, chainId: null, agentId: null, recordId: null, organizationId: null };
    });
    const r = await call(probe(["apiKey"]), "GET", "/probe/signed", { headers: signed });
    expect(r.status).toBe(401);
    expect(calls).toBe(0);
  });
});
