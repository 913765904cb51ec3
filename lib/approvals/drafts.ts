import { getAddress, type Address, type Hex } from "viem";
import { publicClientFor, type Network } from "@/lib/chain/networks";
import type { DbOrTx } from "@/lib/db/client";
import { ApiError, BadRequestError, ConflictError, NotFoundError, ServiceUnavailableError } from "@/lib/http/errors";
import { readSafeState, SafeNotFoundError, type SafeState } from "@/lib/safe/account";
import { canonicalSafeAddresses } from "@/lib/safe/contracts-v150";
import { buildSafeTransaction, safeTransactionToJson, safeTxHash, UnsupportedSafeVersionError } from "@/lib/safe/transaction";
import { getNetwork } from "@/lib/chain/network-registry";
import type { AgentRow } from "./agents";
import { clearSign, type IntentAction } from "./clear-signing";
import { newId } from "./ids";
import { draftJson } from "./present";

/** How long an agent has to sign a draft's safeTxHash and submit it (POST /api/requests → 410 after). */
export const DRAFT_TTL_MS = 15 * 60_000;

export class UnprocessableError extends ApiError {
  constructor(message: string) {
    super(422, message);
  }
}

/** Pure checks on an intent: one chain, decimal wei values. */
export function validateIntent(actions: readonly IntentAction[], chainId: number): bigint {
  const chains = new Set(actions.map((a) => a.chainId));
  if (chains.size !== 1) throw new UnprocessableError(`All actions must be on one chain (got ${[...chains].join(", ")})`);
  if (!chains.has(chainId)) throw new UnprocessableError(`The agent's Safe is on chain ${chainId}, the actions are on chain ${actions[0]!.chainId}`);
  let total = 0n;
  actions.forEach((a, i) => {
    if (!/^\d{1,78}$/.test(a.value)) throw new BadRequestError(`intent.actions[${i}].value must be a decimal wei amount`, [{ field: `body.intent.actions.${i}.value`, message: "Not a decimal wei amount" }]);
    total += BigInt(a.value);
  });
  return total;
}

export async function readSafeOr503(network: Network, safeAddress: Address): Promise<SafeState> {
  try {
    return await readSafeState(publicClientFor(network), safeAddress);
  } catch (err) {
    if (err instanceof SafeNotFoundError) throw new NotFoundError(`The agent's Safe ${safeAddress} is not deployed on chain ${network.chainId}`);
    throw new ServiceUnavailableError(`Chain ${network.chainId} is unreachable`);
  }
}

export async function networkOr422(db: DbOrTx, chainId: number): Promise<Network> {
  const network = await getNetwork(db, chainId).catch(() => null);
  if (!network || !network.enabled) throw new UnprocessableError(`Network ${chainId} is not enabled on this server`);
  return network;
}

/** POST /api/drafts: clear-sign the actions and build the one Safe transaction the agent signs. */
export async function createDraft(db: DbOrTx, agent: AgentRow, body: { signer: string; intent: { actions: IntentAction[] } }, now = new Date()) {
  if (getAddress(body.signer) !== getAddress(agent.address)) throw new NotFoundError(`No agent ${getAddress(body.signer)} is paired with this token`);
  if (agent.mode !== "safe" || !agent.safeAddress) throw new ConflictError(`Agent ${agent.address} is paired in ${agent.mode} mode: drafts are for safe mode`);
  validateIntent(body.intent.actions, agent.chainId);
  const network = await networkOr422(db, agent.chainId);
  const safeAddress = getAddress(agent.safeAddress);
  const safe = await readSafeOr503(network, safeAddress);

  let clear;
  try {
    clear = await clearSign(network, body.intent.actions, safeAddress, { db, organizationId: agent.organizationId });
  } catch (err) {
    throw new BadRequestError(`Invalid action: ${(err as Error).message}`);
  }
  const tx = buildSafeTransaction(
    body.intent.actions.map((a) => ({ to: getAddress(a.to), value: BigInt(a.value), data: a.data as Hex })),
    { nonce: safe.nonce, multiSendCallOnly: canonicalSafeAddresses().MultiSendCallOnly },
  );
  let hash: Hex;
  try {
    hash = safeTxHash({ version: safe.version, chainId: network.chainId, safeAddress, tx });
  } catch (err) {
    if (err instanceof UnsupportedSafeVersionError) throw new UnprocessableError(err.message);
    throw err;
  }
  const draft = await db.approvalDraft.create({
    data: {
      id: newId("drf"),
      organizationId: agent.organizationId,
      agentId: agent.id,
      chainId: network.chainId,
      safeAddress,
      intent: { actions: body.intent.actions.map((a) => ({ chainId: a.chainId, to: getAddress(a.to), data: a.data.toLowerCase(), value: a.value })) },
      clearSigning: clear.json,
      safe: { chainId: network.chainId, safeAddress, version: safe.version, threshold: safe.threshold, owners: safe.owners },
      safeTransaction: safeTransactionToJson(tx),
      safeTxHash: hash,
      createdAt: now,
      expiresAt: new Date(now.getTime() + DRAFT_TTL_MS),
    },
  });
  return draftJson(draft, agent.address);
}
