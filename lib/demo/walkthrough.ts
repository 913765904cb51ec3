/**
 * Pure: the dashboard's Demo page (app/(dashboard)/identity/demo) — each seed 003 demo pattern with
 * the exact CLI commands that exercise it against this server (`countersign identity sign` makes
 * the x-self-agent-* headers, `countersign identity meta-verify` the EIP-712 body of chain-verify).
 */
export type DemoTarget = { origin: string; chainId: number | null; verifier: string | null; demoAgent: { agentId: number; address: string } | null };

export type DemoPattern = { id: "verify" | "agent-to-agent" | "chain-verify" | "census" | "chat"; title: string; route: string; what: string; commands: string[]; note?: string };

const CLI = "node bin/countersign.mjs";

/** Single-quotes a shell word (the JSON bodies). */
const sq = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

export function setupCommands(): string[] {
  return [
    "# the agent's identity key, as 0x hex (exported once after registration: GET /api/agent/register/export)",
    "export COUNTERSIGN_IDENTITY_KEY=0x…",
  ];
}

export function demoPatterns(t: DemoTarget): DemoPattern[] {
  const url = (path: string) => `${t.origin.replace(/\/$/, "")}${path}`;
  const sign = (path: string, body?: unknown) => `${CLI} identity sign ${url(path)}${body === undefined ? "" : ` -d ${sq(JSON.stringify(body))}`} --send`;
  const verifierArgs = t.verifier && t.chainId !== null ? `--verifier ${t.verifier} --chain-id ${t.chainId}` : "--verifier <AgentDemoVerifier address> --chain-id <chain id>";
  return [
    {
      id: "verify",
      title: "Service verifies an agent",
      route: "POST /api/demo/verify",
      what: "The service checks the request's x-self-agent-* signature and the agent's registration on-chain, and answers the agent's credentials and Sybil metrics.",
      commands: [sign("/api/demo/verify", {})],
    },
    {
      id: "agent-to-agent",
      title: "Agent to agent (mutual verification)",
      route: "POST /api/demo/agent-to-agent",
      what: "The demo agent verifies the caller, checks sameHuman() between the two agents, and signs its answer with its own x-self-agent-* headers, so the caller verifies the service as well.",
      commands: [sign("/api/demo/agent-to-agent", { hello: "demo agent" })],
      note: t.demoAgent ? `Answers are signed by the demo agent ${t.demoAgent.address} (agent ${t.demoAgent.agentId}).` : "This server has no demo agent yet (npm start registers one on the local devnet): the route answers 503.",
    },
    {
      id: "chain-verify",
      title: "Agent to chain (meta-transaction)",
      route: "POST /api/demo/chain-verify",
      what: "The agent signs an EIP-712 MetaVerify{agentKey, nonce, deadline}; the server's relayer submits it to the AgentDemoVerifier contract, which checks the signature, the registration, the nonce and the deadline, and records the verification. 3 per hour per human.",
      commands: [`BODY=$(${CLI} identity meta-verify ${verifierArgs} --nonce 0)`, `${CLI} identity sign ${url("/api/demo/chain-verify")} -d "$BODY" --send`],
      note: "Ed25519 agents: add --ed25519 to both commands and send to /api/demo/chain-verify-ed25519 (the relayer checks the Ed25519 signature and attests it on-chain). The nonce counts the agent's verifications: the next one is 1.",
    },
    {
      id: "census",
      title: "Census (agent-gated data)",
      route: "POST / GET /api/demo/census",
      what: "A verified agent contributes its disclosed credentials once; verified agents read the aggregate — counts only, never a contribution.",
      commands: [sign("/api/demo/census", {}), `${CLI} identity sign ${url("/api/demo/census")} --send`],
    },
    {
      id: "chat",
      title: "AI chat with a verified identity",
      route: "POST /api/demo/chat",
      what: "An OpenAI-compatible model answers with the signed agent's verified identity in its context; unsigned requests are answered as anonymous.",
      commands: [sign("/api/demo/chat", { query: "What is Self Agent ID?", session_id: "user-123" })],
      note: 'Needs DEMO_CHAT_URL (an OpenAI-compatible API) on the server; without it the answer is 503 "Service not configured".',
    },
  ];
}
