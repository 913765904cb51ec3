/**
 * A2A agent cards: the service's own card (/.well-known/agent-card.json, the agent behind
 * POST /api/a2a) and each registered agent's card (/api/cards/{chainId}/{agentId}). A card is an A2A
 * v1.0 AgentCard (what @a2a-js/sdk implements: `supportedInterfaces` for JSON-RPC 1.0 and 0.3) that
 * also keeps the v0.3 fields (`protocolVersion`, `url`, `preferredTransport`) for v0.3 clients, and is
 * signed: `signatures[]` holds a JWS (AgentCardSignature) over the RFC 8785 canonical card, made by
 * the SDK's signer with this server's card key (lib/a2a/card-keys.ts), `jku` naming its JWKS.
 */
import { generateAgentCardSignature, type AgentCard } from "@a2a-js/sdk";
import type { Db } from "@/lib/db/client";
import { A2A_PROTOCOL_VERSION as LEGACY_PROTOCOL_VERSION, A2A_SKILLS, discoveryDocument } from "@/lib/identity/model";
import { agentCardFor } from "@/lib/identity/queries";
import { CARD_KEY_ALG, cardSigningKey } from "./card-keys";

/** The A2A protocol version @a2a-js/sdk implements, and the older one it serves through its compat layer. */
export const A2A_VERSION = "1.0";
export const A2A_LEGACY_VERSION = "0.3";
/** The v1.0 extension whose params carry a registered agent's on-chain identity (covered by the signature). */
export const IDENTITY_EXTENSION_URI = "urn:countersign:a2a:agent-identity:v1";
export const CARD_JWKS_PATH = "/.well-known/agent-card-jwks.json";

/** Examples per skill: the structured `data` part each intent takes. */
const EXAMPLES: Record<string, string[]> = {
  register: ['{"intent":"register","network":"testnet"}'],
  status: ['{"intent":"status","sessionToken":"enc_..."}'],
  lookup: ['{"intent":"lookup","agentId":5,"chainId":11142220}', '{"intent":"lookup","agentAddress":"0x…","network":"testnet"}'],
  verify: ['{"intent":"verify","agentId":5,"chainId":11142220}'],
  deregister: ['{"intent":"deregister","agentAddress":"0x…","network":"testnet"}'],
  freshness: ['{"intent":"freshness","agentId":5,"chainId":11142220}'],
  help: ['{"intent":"help"}'],
};

function interfaces(origin: string) {
  const url = `${origin}/api/a2a`;
  return [
    { url, protocolBinding: "JSONRPC", protocolVersion: A2A_VERSION },
    { url, protocolBinding: "JSONRPC", protocolVersion: A2A_LEGACY_VERSION },
  ];
}

const skills = () => A2A_SKILLS.map((s) => ({ ...s, tags: [...s.tags], examples: EXAMPLES[s.id] ?? [], inputModes: ["application/json"], outputModes: ["application/json"] }));

/** Pure: the service's own card, unsigned. */
export function serviceCard(origin: string) {
  const d = discoveryDocument(origin);
  return {
    name: d.name,
    description:
      "Agent identity with proof of human (Self Agent ID): register, verify, look up and deregister agents through structured intents. Requests may be signed with x-self-agent-* headers.",
    supportedInterfaces: interfaces(origin),
    provider: { organization: "Countersign", url: origin },
    version: d.version,
    documentationUrl: `${origin}/.well-known/self-agent-id.json`,
    capabilities: { streaming: false, pushNotifications: false, stateTransitionHistory: false },
    defaultInputModes: ["application/json", "text/plain"],
    defaultOutputModes: ["application/json"],
    skills: skills(),
    // v0.3 fields
    protocolVersion: LEGACY_PROTOCOL_VERSION,
    url: `${origin}/api/a2a`,
    preferredTransport: "JSONRPC",
  };
}

/** Pure: a registered agent's card (lib/identity's, with its identity) in v1.0 form, unsigned. */
export function registeredAgentCard(card: Awaited<ReturnType<typeof agentCardFor>>, origin: string) {
  return {
    ...card,
    supportedInterfaces: interfaces(origin),
    provider: { organization: "Countersign", url: origin },
    capabilities: {
      ...card.capabilities,
      extensions: [{ uri: IDENTITY_EXTENSION_URI, description: "The agent's on-chain identity and proof of human (seed 003)", required: false, params: card.identity }],
    },
    skills: skills(),
  };
}

/** Signs a card (JSON form) with the server's card key: the card with `signatures` set. */
export async function signCard<T extends object>(db: Db, card: T, origin: string): Promise<T & { signatures: { protected: string; signature: string }[] }> {
  const { kid, key } = await cardSigningKey(db);
  const sign = generateAgentCardSignature(key, { alg: CARD_KEY_ALG, kid, typ: "JOSE", jku: `${origin}${CARD_JWKS_PATH}` });
  const { signatures, ...rest } = (await sign(card as unknown as AgentCard)) as unknown as T & { signatures: { protected: string; signature: string; header?: unknown }[] };
  return { ...(rest as T), signatures: signatures.map(({ protected: p, signature }) => ({ protected: p, signature })) };
}

export async function signedServiceCard(db: Db, origin: string) {
  return signCard(db, serviceCard(origin), origin);
}

export async function signedAgentCard(db: Db, chainId: number, agentId: number, origin: string) {
  return signCard(db, registeredAgentCard(await agentCardFor(db, chainId, agentId, origin), origin), origin);
}
