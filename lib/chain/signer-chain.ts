/** Chain reads for a signer: native and token balances, simulation. */
import { BaseError, ContractFunctionRevertedError, erc20Abi, formatUnits, getAddress, type Address, type Hex } from "viem";
import type { DbOrTx } from "@/lib/db/client";
import { BadRequestError, ConflictError, ServiceUnavailableError } from "@/lib/http/errors";
import { publicClientFor, type Network } from "./networks";
import { requireNetwork } from "./network-registry";

async function networkOf(db: DbOrTx, signer: { chainId: number; address: string | null; status: string }) {
  if (!signer.address) throw new ConflictError(`Signer is ${signer.status}: it has no address yet`);
  return { network: await requireNetwork(db, signer.chainId, "signer.chainId"), address: getAddress(signer.address) };
}

function unreachable(network: Network, err: unknown): never {
  throw new ServiceUnavailableError(`Network ${network.name} (${network.chainId}) did not answer: ${(err as Error).message.split("\n")[0]}`);
}

export async function nativeBalance(db: DbOrTx, signer: { chainId: number; address: string | null; status: string }) {
  const { network, address } = await networkOf(db, signer);
  const balance = await publicClientFor(network).getBalance({ address }).catch((e) => unreachable(network, e));
  return { address, chainId: network.chainId, balance: balance.toString(), formatted: formatUnits(balance, network.nativeCurrency.decimals), symbol: network.nativeCurrency.symbol };
}

/** eth_call plus a gas estimate from the signer's address; a revert comes back with its reason. */
export async function simulate(db: DbOrTx, signer: { chainId: number; address: string | null; status: string }, tx: { to: string | null; value?: string; data?: string }) {
  const { network, address } = await networkOf(db, signer);
  const client = publicClientFor(network);
  const call = { account: address, ...(tx.to ? { to: getAddress(tx.to) } : {}), value: BigInt(tx.value ?? "0"), data: (tx.data ?? "0x") as Hex };
  try {
    const [result, gas] = await Promise.all([client.call(call), client.estimateGas(call)]);
    return { success: true as const, returnData: result.data ?? "0x", gasEstimate: gas.toString(), revertReason: null };
  } catch (err) {
    if (err instanceof BaseError) {
      const revert = err.walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
      const reason = revert?.reason ?? (err.shortMessage || err.message.split("\n")[0]) ?? "reverted";
      if (/fetch failed|ECONNREFUSED|HTTP request failed/i.test(err.message)) unreachable(network, err);
      return { success: false as const, returnData: null, gasEstimate: null, revertReason: reason };
    }
    throw err;
  }
}

/** Reads symbol, decimals and name of an ERC-20 contract; a non-token address is a 400. */
export async function readTokenMetadata(network: Network, token: Address) {
  const client = publicClientFor(network);
  try {
    const [symbol, decimals, name] = await Promise.all([
      client.readContract({ address: token, abi: erc20Abi, functionName: "symbol" }),
      client.readContract({ address: token, abi: erc20Abi, functionName: "decimals" }),
      client.readContract({ address: token, abi: erc20Abi, functionName: "name" }).catch(() => null),
    ]);
    return { symbol, decimals, name };
  } catch {
    throw new BadRequestError(`${token} does not look like an ERC-20 token on chain ${network.chainId}`, [{ field: "body.address", message: "Not an ERC-20 contract" }]);
  }
}

/** All tracked token balances in one deployless multicall (no Multicall3 deployment needed). */
export async function tokenBalances(db: DbOrTx, signer: { chainId: number; address: string | null; status: string }, tokens: { id: string; address: string; symbol: string; decimals: number }[]) {
  const { network, address } = await networkOf(db, signer);
  if (!tokens.length) return [];
  const results = await publicClientFor(network)
    .multicall({ contracts: tokens.map((t) => ({ address: getAddress(t.address), abi: erc20Abi, functionName: "balanceOf" as const, args: [address] as const })), deployless: true, allowFailure: true })
    .catch((e) => unreachable(network, e));
  return tokens.map((t, i) => {
    const r = results[i]!;
    const balance = r.status === "success" ? (r.result as bigint) : null;
    return { tokenId: t.id, address: t.address, symbol: t.symbol, decimals: t.decimals, balance: balance?.toString() ?? null, formatted: balance === null ? null : formatUnits(balance, t.decimals), error: r.status === "failure" ? "balanceOf failed" : null };
  });
}
