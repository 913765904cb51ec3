/**
 * The seed's A2A intents (`register`, `status`, `lookup`, `verify`, `deregister`, `freshness`, `help`):
 * `parseIntent` (pure) reads them from a message's structured `data` part (`{ "intent": …, … }`) or,
 * failing that, from its text ("verify agent 5 on testnet"); `runIntent` answers them from the
 * registry (lib/identity). All default to mainnet; `network: "testnet"` or `chainId` selects another
 * chain. Registration, status and deregistration are sessions of the REST API (a human must prove
 * personhood): those intents answer with the request to make.
 */
import { z } from "zod";
import { getAddress, isAddress, type Address } from "viem";
import type { DbOrTx } from "@/lib/db/client";
import { BadRequestError, NotFoundError } from "@/lib/http/errors";
import { A2A_SKILLS, REGISTRATION_MODES, SESSION_TTL_MS } from "@/lib/identity/model";
import { agentInfo, agentVerification, agentVerifyStatus } from "@/lib/identity/queries";
import { agentIdOf, chainIdForNetworkLabel, identityChain } from "@/lib/identity/registry";

export const INTENTS = ["register", "status", "lookup", "verify", "deregister", "freshness", "help"] as const;
export type IntentName = (typeof INTENTS)[number];

const address = z.string().refine((s) => isAddress(s, { strict: false }), "Not an EVM address").transform((s) => getAddress(s));
const disclosures = z.strictObject({ minimumAge: z.number().int().min(0).max(150).optional(), ofac: z.boolean().optional(), nationality: z.boolean().optional(), name: z.boolean().optional() });

export const intentSchema = z.strictObject({
  intent: z.enum(INTENTS),
  network: z.enum(["mainnet", "testnet"]).optional(),
  chainId: z.number().int().positive().max(2_147_483_647).optional(),
  agentId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  agentAddress: address.optional(),
  humanAddress: address.optional(),
  mode: z.enum(REGISTRATION_MODES).optional(),
  disclosures: disclosures.optional(),
  sessionToken: z.string().min(1).max(8192).optional(),
});
export type Intent = z.output<typeof intentSchema>;

/** What the parser sees of a message part (the SDK's core Part). */
export type PartView = { content?: { $case: string; value: unknown } | undefined };

/** Pure: the intent of a message, or a BadRequestError naming what is wrong. */
export function parseIntent(parts: readonly PartView[]): Intent {
  const data = parts.find((p) => p.content?.$case === "data");
  if (data) {
    const r = intentSchema.safeParse(data.content!.value);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new BadRequestError(`Invalid intent: ${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}`);
    }
    return r.data;
  }
  const text = parts
    .filter((p) => p.content?.$case === "text")
    .map((p) => String(p.content!.value))
    .join(" ")
    .toLowerCase();
  if (!text.trim()) throw new BadRequestError("The message has no data or text part naming an intent");
  const intent = INTENTS.find((i) => new RegExp(`\\b${i}\\b`).test(text)) ?? (/\b(what|how|\?)/.test(text) ? "help" : undefined);
  if (!intent) throw new BadRequestError(`No intent recognised; send a data part {"intent": …} with one of ${INTENTS.join(", ")}`);
  const out: Intent = { intent };
  if (/\btestnet\b|\bsepolia\b/.test(text)) out.network = "testnet";
  const id = /\bagent\s*#?\s*(\d{1,15})\b/.exec(text);
  if (id) out.agentId = Number(id[1]);
  const addr = /\b0x[0-9a-f]{40}\b/.exec(text);
  if (addr) out.agentAddress = getAddress(addr[0]);
  return out;
}

/** The caller of a signed request, when it was signed (the platform's signed_agent principal). */
export type Caller = { chainId: number | null; agentId: number | null; agentAddress: Address } | null;

async function chainOf(db: DbOrTx, i: Intent): Promise<number> {
  return i.chainId ?? (await chainIdForNetworkLabel(db, i.network ?? "mainnet"));
}

/** The agent an intent is about: `agentId`, else `agentAddress`, else the signed caller itself. */
async function subject(db: DbOrTx, i: Intent, caller: Caller): Promise<{ chainId: number; agentId: number }> {
  if (i.agentId !== undefined) return { chainId: await chainOf(db, i), agentId: i.agentId };
  if (i.agentAddress) {
    const chainId = await chainOf(db, i);
    const agentId = await agentIdOf(await identityChain(db, chainId), i.agentAddress);
    if (agentId === 0) throw new NotFoundError("Agent not found");
    return { chainId, agentId };
  }
  if (caller?.agentId != null && caller.chainId != null && i.chainId === undefined && i.network === undefined) return { chainId: caller.chainId, agentId: caller.agentId };
  throw new BadRequestError(`The ${i.intent} intent needs agentId or agentAddress (or a signed request from the agent itself)`);
}

/** Answers an intent: the structured result the task's artifact carries. */
export async function runIntent(db: DbOrTx, i: Intent, ctx: { origin: string; caller: Caller; now?: number }): Promise<Record<string, unknown>> {
  const api = `${ctx.origin}/api/agent`;
  switch (i.intent) {
    case "help":
      return {
        intent: "help",
        intents: A2A_SKILLS.map((s) => ({ intent: s.id, description: s.description })),
        networks: ["mainnet", "testnet"],
        note: 'Send a data part {"intent": …}; add "network": "testnet" or "chainId" for another chain than mainnet. Signed requests (x-self-agent-* headers) may leave out agentId to mean the caller.',
      };
    case "lookup": {
      const s = await subject(db, i, ctx.caller);
      return { intent: "lookup", ...(await agentInfo(db, s.chainId, s.agentId)) };
    }
    case "verify": {
      const s = await subject(db, i, ctx.caller);
      return { intent: "verify", chainId: s.chainId, ...(await agentVerification(db, s.chainId, s.agentId)) };
    }
    case "freshness": {
      const s = await subject(db, i, ctx.caller);
      const st = await agentVerifyStatus(db, s.chainId, s.agentId);
      const now = Math.floor((ctx.now ?? Date.now()) / 1000);
      return { intent: "freshness", agentId: s.agentId, chainId: s.chainId, ...st, proofAgeSeconds: Math.max(0, now - st.proofRefreshedAt) };
    }
    case "register": {
      const network = i.network ?? "mainnet";
      const mode = i.mode ?? (i.humanAddress ? "linked" : "wallet-free");
      const body = { mode, network, ...(i.humanAddress ? { humanAddress: i.humanAddress } : {}), disclosures: i.disclosures ?? { minimumAge: 18, ofac: true } };
      return { intent: "register", next: { method: "POST", url: `${api}/register`, body }, registrationModes: [...REGISTRATION_MODES], sessionTtlMs: SESSION_TTL_MS };
    }
    case "status": {
      if (!i.sessionToken) throw new BadRequestError("The status intent needs sessionToken");
      return { intent: "status", next: { method: "GET", url: `${api}/register/status?token=${encodeURIComponent(i.sessionToken)}` } };
    }
    case "deregister": {
      const agentAddress = i.agentAddress ?? ctx.caller?.agentAddress;
      if (!agentAddress) throw new BadRequestError("The deregister intent needs agentAddress (or a signed request from the agent itself)");
      const body = { network: i.network ?? "mainnet", agentAddress, disclosures: i.disclosures ?? { minimumAge: 18, ofac: true } };
      return { intent: "deregister", next: { method: "POST", url: `${api}/deregister`, body }, note: "The human must prove again to burn the agent's identity token." };
    }
  }
}
