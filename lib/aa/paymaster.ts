/**
 * This server's verifying paymaster (when PAYMASTER_RPC_URL is unset): answers ERC-7677's
 * `pm_getPaymasterStubData` / `pm_getPaymasterData`, Pimlico's `pm_sponsorUserOperation` and
 * `eth_chainId` for a chain where the VerifyingPaymaster of `@account-abstraction/contracts` 0.7 is
 * deployed (lib/aa/deploy.ts). A sponsorship is the signer's signature over the contract's
 * `getHash(userOp, validUntil, validAfter)`; before signing, the operation's maximum cost is
 * reserved against the organization's budget (AA_SPONSOR_BUDGET_WEI per chain; the public pool for
 * tokens issued without a session), under an advisory lock so concurrent instances cannot overspend.
 * The budget spent is the actual cost of settled sponsorships plus the maximum of pending ones; a check
 * that would refuse first settles the reservations to the EntryPoint's actual charge (lib/aa/settle.ts).
 */
import { concatHex, encodeAbiParameters, getAddress, isAddress, isAddressEqual, keccak256, numberToHex, toHex, type Address, type Hex } from "viem";
import { formatUserOperation, toPackedUserOperation, type RpcUserOperation, type UserOperation } from "viem/account-abstraction";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { Db, Tx } from "@/lib/db/client";
import type { publicClientFor } from "@/lib/chain/networks";
import { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log/logger";
import { maxOperationCost } from "./model";
import { paymasterSigner } from "./paymaster-key";
import { settleSponsorships, type PaymasterOnChain } from "./settle";

/** A JSON-RPC error the proxy returns in the JSON-RPC body (HTTP 200), as a paymaster service does. */
export class RpcError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

export type LocalPaymaster = PaymasterOnChain;

/** Fixed gas the VerifyingPaymaster needs: ECDSA recovery in validation; no context, so no postOp. */
export const PAYMASTER_VERIFICATION_GAS = 100_000n;
export const PAYMASTER_POST_OP_GAS = 0n;
/** A sponsorship is valid this long after it is signed. */
export const SPONSORSHIP_VALIDITY_SECONDS = 600;

function parseUserOp(raw: unknown): UserOperation<"0.7"> {
  if (!raw || typeof raw !== "object") throw new RpcError(-32602, "params[0] must be a UserOperation");
  const r = raw as Record<string, unknown>;
  for (const f of ["sender", "nonce", "callData"]) if (typeof r[f] !== "string") throw new RpcError(-32602, `UserOperation.${f} is required`);
  if (!isAddress(r.sender as string, { strict: false })) throw new RpcError(-32602, "UserOperation.sender is not an address");
  if ("initCode" in r) throw new RpcError(-32602, "EntryPoint v0.6 UserOperations are not supported (v0.7: factory/factoryData)");
  try {
    const op = formatUserOperation(r as unknown as RpcUserOperation) as Partial<UserOperation<"0.7">>;
    // A stub-data request may come before the gas fields are known: zero until they are.
    const defaults: Partial<UserOperation<"0.7">> = { callGasLimit: 0n, verificationGasLimit: 0n, preVerificationGas: 0n, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n, signature: "0x" };
    const merged = { ...defaults } as Record<string, unknown>;
    for (const [k, v] of Object.entries(op)) if (v !== undefined) merged[k] = v;
    return merged as unknown as UserOperation<"0.7">;
  } catch {
    throw new RpcError(-32602, "Malformed UserOperation");
  }
}

function checkEntryPoint(pm: LocalPaymaster, raw: unknown) {
  if (typeof raw !== "string" || !isAddress(raw, { strict: false }) || !isAddressEqual(raw, pm.entryPoint)) {
    throw new RpcError(-32602, `Unsupported EntryPoint; this paymaster serves ${pm.entryPoint}`);
  }
}

function checkChain(pm: LocalPaymaster, raw: unknown) {
  if (raw === undefined) return;
  const n = typeof raw === "string" ? Number.parseInt(raw, raw.startsWith("0x") ? 16 : 10) : raw;
  if (n !== pm.chainId) throw new RpcError(-32602, `Chain ${String(raw)} does not match this endpoint's chain ${pm.chainId}`);
}

/** Pure: the VerifyingPaymaster's getHash (v0.7 sample), computed off-chain. */
export function sponsorshipHash(pm: LocalPaymaster, op: UserOperation<"0.7">, validUntil: number, validAfter: number): Hex {
  const packed = toPackedUserOperation({ ...op, paymaster: pm.paymaster, paymasterVerificationGasLimit: op.paymasterVerificationGasLimit ?? 0n, paymasterPostOpGasLimit: op.paymasterPostOpGasLimit ?? 0n, paymasterData: "0x" });
  const pmGas = BigInt(`0x${packed.paymasterAndData.slice(2 + 40, 2 + 40 + 64)}`);
  return keccak256(
    encodeAbiParameters(
      [{ type: "address" }, { type: "uint256" }, { type: "bytes32" }, { type: "bytes32" }, { type: "bytes32" }, { type: "uint256" }, { type: "uint256" }, { type: "bytes32" }, { type: "uint256" }, { type: "address" }, { type: "uint48" }, { type: "uint48" }],
      [packed.sender, packed.nonce, keccak256(packed.initCode), keccak256(packed.callData), packed.accountGasLimits, pmGas, packed.preVerificationGas, packed.gasFees, BigInt(pm.chainId), pm.paymaster, validUntil, validAfter],
    ),
  );
}

function timestamps(validUntil: number, validAfter: number): Hex {
  return encodeAbiParameters([{ type: "uint48" }, { type: "uint48" }], [validUntil, validAfter]);
}

/** A well-formed signature by a throwaway key: recovery succeeds (to the wrong signer), so estimation does not revert. */
async function stubSignature(): Promise<Hex> {
  return privateKeyToAccount(generatePrivateKey()).signMessage({ message: { raw: keccak256(toHex("countersign stub")) } });
}

export function budgetWei(raw: string): bigint {
  return BigInt(raw);
}

const wei = (d: Prisma.Decimal | null) => BigInt((d ?? new Prisma.Decimal(0)).toFixed(0));

/** The budget spent: the actual cost of settled sponsorships, the maximum cost of pending ones. */
export async function spentWei(db: Db | Tx, organizationId: string | null, chainId: number): Promise<bigint> {
  const pending = await db.aaSponsorship.aggregate({ where: { organizationId, chainId, actualCostWei: null }, _sum: { maxCostWei: true } });
  const settled = await db.aaSponsorship.aggregate({ where: { organizationId, chainId, actualCostWei: { not: null } }, _sum: { actualCostWei: true } });
  return wei(pending._sum.maxCostWei) + wei(settled._sum.actualCostWei);
}

export class BudgetExhaustedError extends RpcError {
  constructor() {
    super(-32001, "Sponsorship budget exhausted");
  }
}

/** Reserves `cost` against the budget, or throws BudgetExhaustedError. */
async function reserve(db: Db, input: { organizationId: string | null; chainId: number; sender: Address; nonce: bigint; cost: bigint; budget: bigint; validUntil: number; fromBlock: bigint | null }) {
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`aa-budget:${input.organizationId ?? "public"}:${input.chainId}`}))`;
    if ((await spentWei(tx, input.organizationId, input.chainId)) + input.cost > input.budget) throw new BudgetExhaustedError();
    await tx.aaSponsorship.create({
      data: {
        organizationId: input.organizationId,
        chainId: input.chainId,
        sender: getAddress(input.sender),
        nonce: input.nonce.toString(),
        maxCostWei: new Prisma.Decimal(input.cost.toString()),
        validUntil: new Date(input.validUntil * 1000),
        fromBlock: input.fromBlock,
      },
    });
  });
}

export type PaymasterCall = {
  db: Db;
  pm: LocalPaymaster;
  organizationId: string | null;
  budget: bigint;
  /** For pm_sponsorUserOperation: estimates the operation's gas with the bundler (eth_estimateUserOperationGas). */
  estimate?: (op: Record<string, unknown>, entryPoint: Address) => Promise<Record<string, Hex>>;
  /** The chain's RPC: settles the organization's reservations before a budget check, and dates new ones. */
  client?: ReturnType<typeof publicClientFor>;
  now?: number;
};

/**
 * Settles the organization's reservations from the chain (an eth_getLogs and a block read) only when
 * counting the pending ones at their maximum would refuse `cost`: settling can only lower the spend,
 * so with room left the request skips the chain, and housekeeping settles the rest. Opportunistic:
 * an unreachable chain leaves the reservations pending (counted at their maximum). Returns the
 * spend it read before deciding, and whether it settled (which can only have lowered it).
 */
async function settleIfShort(c: PaymasterCall, cost: bigint): Promise<{ spent: bigint; settled: boolean }> {
  const spent = await spentWei(c.db, c.organizationId, c.pm.chainId);
  if (!c.client || spent + cost <= c.budget) return { spent, settled: false };
  const settled = await settleSponsorships(c.db, c.client, c.pm, { organizationId: c.organizationId }).then(
    () => true,
    (err: unknown) => {
      log.warn("could not settle paymaster sponsorships", { chainId: c.pm.chainId, error: (err as Error).message.split("\n")[0] });
      return false;
    },
  );
  return { spent, settled };
}

async function sign(c: PaymasterCall, op: UserOperation<"0.7">) {
  const now = Math.floor((c.now ?? Date.now()) / 1000);
  const validAfter = 0;
  const validUntil = now + SPONSORSHIP_VALIDITY_SECONDS;
  const withPm = { ...op, paymasterVerificationGasLimit: op.paymasterVerificationGasLimit ?? PAYMASTER_VERIFICATION_GAS, paymasterPostOpGasLimit: op.paymasterPostOpGasLimit ?? PAYMASTER_POST_OP_GAS };
  const cost = maxOperationCost(withPm);
  // The reservation checks the budget again under its lock; this only decides whether to settle first.
  await settleIfShort(c, cost);
  const fromBlock = c.client ? await c.client.getBlockNumber().catch(() => null) : null;
  await reserve(c.db, { organizationId: c.organizationId, chainId: c.pm.chainId, sender: op.sender, nonce: op.nonce, cost, budget: c.budget, validUntil, fromBlock });
  const signature = await (await paymasterSigner()).signMessage({ message: { raw: sponsorshipHash(c.pm, withPm, validUntil, validAfter) } });
  return { paymaster: c.pm.paymaster, paymasterData: concatHex([timestamps(validUntil, validAfter), signature]), paymasterVerificationGasLimit: numberToHex(withPm.paymasterVerificationGasLimit), paymasterPostOpGasLimit: numberToHex(withPm.paymasterPostOpGasLimit) };
}

/** Answers one paymaster JSON-RPC call (the method is already on the seed's allow-list). */
export async function paymasterRpc(c: PaymasterCall, method: string, params: unknown): Promise<unknown> {
  const p = Array.isArray(params) ? params : [];
  switch (method) {
    case "eth_chainId":
      return numberToHex(c.pm.chainId);
    case "pm_getPaymasterStubData": {
      const op = parseUserOp(p[0]);
      checkEntryPoint(c.pm, p[1]);
      checkChain(c.pm, p[2]);
      const { spent, settled } = await settleIfShort(c, 1n);
      if ((settled ? await spentWei(c.db, c.organizationId, c.pm.chainId) : spent) >= c.budget) throw new BudgetExhaustedError();
      void op;
      const validUntil = Math.floor((c.now ?? Date.now()) / 1000) + SPONSORSHIP_VALIDITY_SECONDS;
      return {
        paymaster: c.pm.paymaster,
        paymasterData: concatHex([timestamps(validUntil, 0), await stubSignature()]),
        paymasterVerificationGasLimit: numberToHex(PAYMASTER_VERIFICATION_GAS),
        paymasterPostOpGasLimit: numberToHex(PAYMASTER_POST_OP_GAS),
        isFinal: false,
      };
    }
    case "pm_getPaymasterData": {
      const op = parseUserOp(p[0]);
      checkEntryPoint(c.pm, p[1]);
      checkChain(c.pm, p[2]);
      const s = await sign(c, op);
      return { paymaster: s.paymaster, paymasterData: s.paymasterData };
    }
    case "pm_sponsorUserOperation": {
      // Pimlico's: estimate the gas with the stub sponsorship, then sign the estimated operation.
      const raw = p[0];
      const op = parseUserOp(raw);
      checkEntryPoint(c.pm, p[1]);
      if (!c.estimate) throw new RpcError(-32603, "Gas estimation needs a bundler, and none is configured");
      const stub = (await paymasterRpc(c, "pm_getPaymasterStubData", [raw, p[1]])) as Record<string, Hex>;
      const gas = await c.estimate({ ...(raw as Record<string, unknown>), ...stub, isFinal: undefined }, c.pm.entryPoint);
      const estimated = parseUserOp({ ...(raw as Record<string, unknown>), callGasLimit: gas.callGasLimit, verificationGasLimit: gas.verificationGasLimit, preVerificationGas: gas.preVerificationGas });
      const s = await sign(c, estimated);
      return { ...s, callGasLimit: gas.callGasLimit, verificationGasLimit: gas.verificationGasLimit, preVerificationGas: gas.preVerificationGas };
    }
    default:
      throw new RpcError(-32601, `Method not found: ${method}`);
  }
}
