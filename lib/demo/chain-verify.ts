/**
 * POST /api/demo/chain-verify and /chain-verify-ed25519 (seed 003): the server relays an agent's
 * EIP-712 meta-transaction `{agentKey, nonce, deadline}` to the demo verifier contract
 * (contracts/AgentDemoVerifier.sol) with its relayer account, so the agent proves itself to a
 * contract without holding gas.
 *
 * - EVM agents: the contract recovers the ECDSA signer itself (`metaVerifyAgent`).
 * - Ed25519 agents: the EVM has no Ed25519 precompile, so the relayer verifies the Ed25519 signature
 *   over the contract's `metaVerifyEd25519Digest` off-chain (@noble/curves) and submits
 *   `attestEd25519Verification` as the contract's authorised attester; the deadline, nonce and
 *   registration checks stay on-chain.
 *
 * The agent key must be the signed caller's own. The transaction is simulated first (a rejection
 * costs no gas and no attempt); then 3 relays per hour per human nullifier (database counters shared
 * by every instance), then sent (lib/chain/serial-sender.ts: one nonce at a time per relayer across
 * instances) and mined.
 */
import { BaseError, ContractFunctionRevertedError, getAddress, hexToBytes, isAddressEqual, parseEventLogs, type Address, type Hex } from "viem";
import { ed25519 } from "@noble/curves/ed25519.js";
import type { DbOrTx } from "@/lib/db/client";
import type { SignedAgent } from "@/lib/auth/signed-agent";
import { publicClientFor } from "@/lib/chain/networks";
import { contractCall, sendFromServerKey } from "@/lib/chain/serial-sender";
import { ApiError, BadRequestError, ConflictError, ForbiddenError, NotConfiguredError, TooManyRequestsError } from "@/lib/http/errors";
import { countHit } from "@/lib/http/rate-limit";
import { providerAccount, providerKeyAddress } from "@/lib/identity/provider-key";
import { chainIdForNetworkLabel, identityChain, type IdentityChain } from "@/lib/identity/registry";
import { SEED_IDENTITY_CHAINS } from "@/lib/identity/config";
import { ed25519AgentAddress } from "@/lib/identity/sign";
import { callerAgent } from "./demo";
import { metaVerifyEd25519Digest } from "./meta-verify";
import { demoVerifierAbi } from "./verifier-abi";

export { metaVerifyEd25519Digest, metaVerifyTypedData } from "./meta-verify";

/** Seed 003: 3 relays per hour per human nullifier (counted after a successful simulation). */
export const CHAIN_VERIFY_LIMIT = { name: "demo-chain-verify", limit: 3, windowSeconds: 3600, message: "Rate limited — 3 per hour per human" } as const;

/** The relayer's key: one installation-wide secp256k1 key, sealed like the proof provider keys (`identity_provider_keys`, name `demo-relayer`). */
export const RELAYER_KEY = "demo-relayer";
export const relayerAddress = (db: DbOrTx) => providerKeyAddress(db, RELAYER_KEY);

/** The seed's `networkId` values: Celo (or the devnet where the instance has no Celo registry, as for `network`). */
export const NETWORK_IDS = { "celo-mainnet": "mainnet", "celo-sepolia": "testnet" } as const;

export type VerifierChain = IdentityChain & { verifier: Address };

/** Records (or clears) the demo verifier's address for a chain. */
export async function recordDemoVerifier(db: DbOrTx, chainId: number, verifier: Address | null): Promise<void> {
  await db.network.update({ where: { chainId }, data: { demoVerifier: verifier ? getAddress(verifier) : null } });
}

/** The chain's registry and demo verifier; 503 "Service not configured" without a verifier. */
export async function verifierChain(db: DbOrTx, chainId: number): Promise<VerifierChain> {
  const chain = await identityChain(db, chainId);
  const row = await db.network.findUnique({ where: { chainId }, select: { demoVerifier: true } });
  if (!row?.demoVerifier) throw new NotConfiguredError();
  return { ...chain, verifier: getAddress(row.demoVerifier) };
}

async function targetChainId(db: DbOrTx, networkId: string | undefined, callerChainId: number): Promise<number> {
  if (networkId === undefined) return callerChainId;
  if (Object.hasOwn(NETWORK_IDS, networkId)) return chainIdForNetworkLabel(db, NETWORK_IDS[networkId as keyof typeof NETWORK_IDS]);
  if (/^[1-9][0-9]{0,15}$/.test(networkId)) {
    const chainId = Number(networkId);
    if (!(await db.network.findUnique({ where: { chainId }, select: { chainId: true } })) && !SEED_IDENTITY_CHAINS.includes(chainId)) {
      throw new BadRequestError(`Unsupported chain ${chainId}`, [{ field: "body.networkId", message: `Chain ${chainId} is not in the network registry` }]);
    }
    return chainId;
  }
  throw new BadRequestError(`Unknown networkId ${networkId}`, [{ field: "body.networkId", message: `One of ${Object.keys(NETWORK_IDS).join(", ")}, or a chain id` }]);
}

export const CONTRACT_REJECTIONS = {
  MetaTxExpired: [400, "Contract rejected: meta-transaction deadline expired"],
  MetaTxInvalidNonce: [409, "Contract rejected: invalid nonce (replay or out of order)"],
  MetaTxInvalidSignature: [403, "Contract rejected: EIP-712 signature invalid — signer does not match agent key"],
  NotVerifiedAgent: [403, "Contract rejected: agent not verified in registry (isVerifiedAgent returned false)"],
} as const;

class RpcFailureError extends ApiError {
  constructor(cause: unknown) {
    super(500, "RPC failure", { cause });
  }
}

/** A revert of the verifier → the seed's status and message; any other failure → 500 "RPC failure". */
function rejection(err: unknown): ApiError {
  if (err instanceof BaseError) {
    const revert = err.walk((e) => e instanceof ContractFunctionRevertedError);
    const name = revert instanceof ContractFunctionRevertedError ? revert.data?.errorName : undefined;
    if (name && Object.hasOwn(CONTRACT_REJECTIONS, name)) {
      const [status, message] = CONTRACT_REJECTIONS[name as keyof typeof CONTRACT_REJECTIONS];
      return status === 409 ? new ConflictError(message) : status === 403 ? new ForbiddenError(message) : new BadRequestError(message);
    }
  }
  return new RpcFailureError(err);
}

export type ChainVerifyInput = { agentKey: Hex; nonce: string | number; deadline: string | number; eip712Signature: Hex; networkId?: string };

export async function relayChainVerify(db: DbOrTx, caller: SignedAgent, input: ChainVerifyInput, kind: "ecdsa" | "ed25519") {
  const { agent } = await callerAgent(db, caller);
  const chain = await verifierChain(db, await targetChainId(db, input.networkId, agent.chainId));
  const nonce = BigInt(input.nonce);
  const deadline = BigInt(input.deadline);

  // The agent key names the signed caller (its registry address).
  const agentAddress = kind === "ecdsa" ? getAddress(input.agentKey) : ed25519AgentAddress(input.agentKey);
  if (!isAddressEqual(agentAddress, caller.agentAddress)) throw new ForbiddenError("Agent key does not match the signing agent");

  const relayer = await providerAccount(db, RELAYER_KEY);
  const client = publicClientFor(chain.network);
  let request;
  try {
    if (kind === "ecdsa") {
      ({ request } = await client.simulateContract({ account: relayer, address: chain.verifier, abi: demoVerifierAbi, functionName: "metaVerifyAgent", args: [agentAddress, nonce, deadline, input.eip712Signature] }));
    } else {
      const digest = metaVerifyEd25519Digest({ chainId: chain.network.chainId, verifier: chain.verifier, agentKey: input.agentKey, nonce, deadline });
      let ok = false;
      try {
        ok = ed25519.verify(hexToBytes(input.eip712Signature), hexToBytes(digest), hexToBytes(input.agentKey));
      } catch {
        ok = false;
      }
      if (!ok) throw new ForbiddenError("Ed25519 signature invalid — signature does not match agent key");
      ({ request } = await client.simulateContract({ account: relayer, address: chain.verifier, abi: demoVerifierAbi, functionName: "attestEd25519Verification", args: [input.agentKey, nonce, deadline] }));
    }
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw rejection(err);
  }

  // The human's budget: counted only for a meta-transaction the contract would accept.
  const now = Date.now();
  const hit = await countHit(CHAIN_VERIFY_LIMIT, `nullifier:${agent.chainId}:${agent.nullifier}`, now);
  if (hit.count > CHAIN_VERIFY_LIMIT.limit) throw new TooManyRequestsError((hit.windowEnd - now) / 1000, CHAIN_VERIFY_LIMIT.message);

  let receipt;
  try {
    // The relayer key is installation-wide: its nonces are serialised across instances.
    const hash = await sendFromServerKey(db, chain.network, relayer, contractCall({ ...(request as never as { address: Address; functionName: string; args: readonly unknown[] }), abi: demoVerifierAbi }));
    receipt = await client.waitForTransactionReceipt({ hash });
  } catch (err) {
    if (!(err instanceof BaseError)) throw err; // not the chain's (the nonce lock's database: lib/http/respond.ts answers 503 when it is down)
    throw rejection(err);
  }
  const [event] = parseEventLogs({ abi: demoVerifierAbi, eventName: "AgentVerified", logs: receipt.logs });
  if (receipt.status !== "success" || !event) throw new RpcFailureError(new Error(`relay ${receipt.transactionHash} reverted`));
  const total = await client.readContract({ address: chain.verifier, abi: demoVerifierAbi, functionName: "totalVerifications" }).catch((e: unknown) => {
    throw new RpcFailureError(e);
  });
  return {
    verified: true as const,
    txHash: receipt.transactionHash,
    blockNumber: Number(receipt.blockNumber),
    chainId: chain.network.chainId,
    verifier: chain.verifier,
    relayer: relayer.address,
    explorerUrl: chain.network.explorerUrl ? `${chain.network.explorerUrl.replace(/\/$/, "")}/tx/${receipt.transactionHash}` : null,
    agentAddress,
    agentId: Number(event.args.agentId),
    keyType: kind === "ecdsa" ? ("ecdsa" as const) : ("ed25519" as const),
    nonce: nonce.toString(),
    verificationCount: event.args.verificationCount.toString(),
    totalVerifications: total.toString(),
    gasUsed: receipt.gasUsed.toString(),
    rateLimitRemaining: CHAIN_VERIFY_LIMIT.limit - hit.count,
    credentials: { nationality: agent.credentials.nationality, olderThan: agent.credentials.olderThan },
  };
}
