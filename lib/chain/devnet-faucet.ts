/**
 * "Fund from devnet": sends 1 ETH to a signer from the devnet's documented funded account (the first
 * account of the public test mnemonic, see README). Only for the local devnet network: its key is
 * public, so nothing here may ever touch another chain.
 */
import { getAddress, parseEther, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { DbOrTx } from "@/lib/db/client";
import { ConflictError, ForbiddenError, ServiceUnavailableError } from "@/lib/http/errors";
import { deriveDevAccounts, DEV_MNEMONIC } from "./dev-accounts";
import { LOCAL_DEVNET_CHAIN_ID, publicClientFor } from "./networks";
import { requireNetwork } from "./network-registry";
import { sendFromServerKey } from "./serial-sender";

export const DEVNET_FUND_AMOUNT_ETH = "1";

let devKey: Hex | null = null;

function devAccount() {
  devKey ??= deriveDevAccounts(DEV_MNEMONIC, 1)[0]!.privateKey;
  return privateKeyToAccount(devKey);
}

export async function fundFromDevnet(db: DbOrTx, signer: { chainId: number; address: string | null; status: string }) {
  const network = await requireNetwork(db, signer.chainId, "signer.chainId");
  if (!network.isDevnet || network.chainId !== LOCAL_DEVNET_CHAIN_ID) throw new ForbiddenError("Funding from the devnet is only available for signers on the local devnet");
  if (!signer.address) throw new ConflictError(`Signer is ${signer.status}: it has no address yet`);
  const to = getAddress(signer.address);
  const client = publicClientFor(network);
  const remoteChainId = await client.getChainId().catch((err: Error) => {
    throw new ServiceUnavailableError(`The devnet did not answer: ${err.message.split("\n")[0]}`);
  });
  if (remoteChainId !== LOCAL_DEVNET_CHAIN_ID) throw new ForbiddenError("The configured devnet RPC is not the local devnet");
  const account = devAccount();
  const value = parseEther(DEVNET_FUND_AMOUNT_ETH);
  try {
    // The dev account is shared by every instance: one nonce at a time (lib/chain/serial-sender.ts).
    const hash = await sendFromServerKey(db, network, account, { to, value });
    const receipt = await client.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new ConflictError("The funding transaction reverted");
    return { txHash: hash, from: account.address, to, value: value.toString(), chainId: network.chainId, blockNumber: receipt.blockNumber.toString() };
  } catch (err) {
    if (err instanceof ConflictError || err instanceof ForbiddenError) throw err;
    throw new ServiceUnavailableError(`The devnet refused the funding transaction: ${(err as Error).message.split("\n")[0]}`);
  }
}
