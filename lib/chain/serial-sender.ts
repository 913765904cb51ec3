/**
 * Transactions from keys this server holds (the demo relayer, the proof providers' keys, the devnet
 * faucet): one account may be used by several app instances and concurrent requests at once, and a
 * node takes at most one transaction per account nonce. So per (chain, address) a PostgreSQL
 * advisory lock is held, in a transaction, across reading the account's pending nonce, signing with
 * that explicit nonce and handing the transaction to the node; it is released as soon as the node
 * accepted it (not when it is mined), so the next sender sees it in the pending count.
 *
 * Gas and fees are estimated inside the lock too: an earlier transaction of the same account can
 * change what the next one costs (estimated beside each other, concurrent registrations ran out of
 * gas). On a chain that does not mine at once the estimate still reads the latest block, not the
 * account's transactions still pending. With the embedded database (one session shared by every
 * connection) advisory locks do not exclude each other, but its socket server runs one transaction
 * at a time, which serialises the same section.
 */
import { BaseError, encodeFunctionData, getContractError, type Abi, type Address, type Hex, type LocalAccount } from "viem";
import type { DbOrTx, Tx } from "@/lib/db/client";
import { publicClientFor, walletClientFor, type Network } from "./networks";

type ContractWrite = { address: Address; abi: Abi | readonly unknown[]; functionName: string; args?: readonly unknown[]; value?: bigint; gas?: bigint };
/** `contract`: the call it encodes, so that a revert is decoded (custom errors by name) as writeContract does. */
export type ServerTx = { to: Address; data?: Hex; value?: bigint; gas?: bigint; contract?: ContractWrite };

/**
 * A simulated contract write (`simulateContract`'s `request`, or the same fields) as a transaction.
 * Give the contract's whole ABI (the simulation's request carries only the function) so that custom
 * errors decode by name.
 */
export function contractCall(request: ContractWrite): ServerTx {
  const data = encodeFunctionData({ abi: request.abi as Abi, functionName: request.functionName, args: request.args ?? [] } as never);
  return { to: request.address, data, contract: request, ...(request.value !== undefined ? { value: request.value } : {}), ...(request.gas !== undefined ? { gas: request.gas } : {}) };
}

/** Pure: the advisory lock's name for an account on a chain (hashed to the lock key by PostgreSQL). */
export function senderLockName(chainId: number, address: Address): string {
  return `chain-sender:${chainId}:${address.toLowerCase()}`;
}

/**
 * Sends `tx` from `account` on `network` with the next nonce, serialised with every other sender of
 * the same account on the same database; answers the hash once the node has accepted it. Given a
 * transaction (`Tx`), the lock joins it and is held until that transaction ends.
 */
export async function sendFromServerKey(db: DbOrTx, network: Network, account: LocalAccount, tx: ServerTx): Promise<Hex> {
  const wallet = walletClientFor(network, account);
  const client = publicClientFor(network);
  const { contract, ...request } = tx;
  const decoded = (err: unknown) =>
    contract && err instanceof BaseError ? getContractError(err, { abi: contract.abi as Abi, address: contract.address, args: contract.args, functionName: contract.functionName, sender: account.address }) : err;
  const send = async (t: Tx | DbOrTx) => {
    await t.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${senderLockName(network.chainId, account.address)}))`;
    const nonce = await client.getTransactionCount({ address: account.address, blockTag: "pending" });
    try {
      // Gas is estimated here, after the account's previous transactions: their effects can change it.
      const prepared = await wallet.prepareTransactionRequest({ ...request, account, nonce, parameters: ["chainId", "fees", "gas", "type"] } as never);
      const serializedTransaction = await wallet.signTransaction(prepared as never);
      return await client.sendRawTransaction({ serializedTransaction });
    } catch (err) {
      throw decoded(err);
    }
  };
  // A transaction client has $transaction too (nested); only the top-level client has $connect.
  return "$connect" in db ? db.$transaction(send) : send(db);
}

/**
 * What lib/safe needs of a wallet client (`account`, `writeContract`), sending through
 * sendFromServerKey: for the server keys that pay for Safe creations and executions.
 */
export function serialContractWriter(db: DbOrTx, network: Network, account: LocalAccount) {
  return { account, writeContract: (request: ContractWrite) => sendFromServerKey(db, network, account, contractCall(request)) };
}
