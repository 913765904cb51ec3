/**
 * The demo agent of POST /api/demo/agent-to-agent: an agent of this server registered on a chain's
 * identity registry, whose key (sealed with the master key) signs the demo's responses so that the
 * caller can verify the service as the service verified it. `npm start` registers it on the local
 * devnet through the local proof provider; elsewhere there is none and the route answers 503
 * "Service not configured".
 */
import { toHex, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { DbOrTx } from "@/lib/db/client";
import { NotConfiguredError } from "@/lib/http/errors";
import { openSecret, sealSecret, type SealedBlob } from "@/lib/keystore";
import { registerWithLocalProvider } from "@/lib/identity/local-provider";
import { agentIdOf, type IdentityChain } from "@/lib/identity/registry";

const context = (chainId: number) => `demo-agent-key:${chainId}`;
/** The demo agent's human: a fixed nullifier of this server's own (not a person's). */
export const DEMO_NULLIFIER = BigInt("0x64656d6f2d6167656e74"); // "demo-agent"

export type DemoAgent = { chainId: number; agentId: number; address: Address; key: Hex };

/** Registers the demo agent on `chain` once (kept when it is still registered there). */
export async function setUpDemoAgent(db: DbOrTx, chain: IdentityChain, opts: { nullifier?: bigint } = {}): Promise<{ agentId: number; address: Address; created: boolean }> {
  const chainId = chain.network.chainId;
  const row = await db.demoAgent.findUnique({ where: { chainId } });
  if (row && (await agentIdOf(chain, row.address as Address)) === row.agentId) return { agentId: row.agentId, address: row.address as Address, created: false };
  const key = generatePrivateKey();
  const address = privateKeyToAccount(key).address;
  const { agentId } = await registerWithLocalProvider(db, chain, {
    nullifier: opts.nullifier ?? DEMO_NULLIFIER,
    agentAddress: address,
    verificationStrength: 1,
    credentials: { nationality: "", olderThan: 0, ofac: [false, false, false] },
    metadata: { name: "Countersign demo agent", description: "Signs the responses of /api/demo/agent-to-agent", a2aEndpoint: "", mcpEndpoint: "" },
  });
  const sealedKey = sealSecret(Buffer.from(key.slice(2), "hex"), context(chainId)) as object;
  await db.demoAgent.upsert({ where: { chainId }, create: { chainId, agentId, address, sealedKey }, update: { agentId, address, sealedKey } });
  return { agentId, address, created: true };
}

export async function demoAgent(db: DbOrTx, chainId: number): Promise<DemoAgent> {
  const row = await db.demoAgent.findUnique({ where: { chainId } });
  if (!row) throw new NotConfiguredError();
  const key = toHex(openSecret(row.sealedKey as unknown as SealedBlob, context(chainId)));
  return { chainId, agentId: row.agentId, address: row.address as Address, key };
}
