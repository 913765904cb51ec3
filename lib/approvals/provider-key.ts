import { getAddress, numberToHex, parseEther, toHex, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import type { DbOrTx } from "@/lib/db/client";
import { openSecret, sealSecret, type SealedBlob } from "@/lib/keystore";
import { publicClientFor, type Network } from "@/lib/chain/networks";

/**
 * The organization's provider key: a secp256k1 key the server holds (sealed with the master key),
 * co-owner of every safe-mode Safe, which adds the second confirmation once a human accepts and
 * sends execTransaction (it pays the gas).
 */
const context = (organizationId: string) => `approval-provider-key:${organizationId}`;

export async function providerKeyAddress(db: DbOrTx, organizationId: string): Promise<Address> {
  const existing = await db.approvalProviderKey.findUnique({ where: { organizationId } });
  if (existing) return getAddress(existing.address);
  const pk = generatePrivateKey();
  const address = privateKeyToAccount(pk).address;
  const sealed = sealSecret(Buffer.from(pk.slice(2), "hex"), context(organizationId));
  try {
    await db.approvalProviderKey.create({ data: { organizationId, address, sealedKey: sealed as object } });
    return address;
  } catch (err) {
    // Another instance created it first: use theirs.
    const row = await db.approvalProviderKey.findUnique({ where: { organizationId } });
    if (row) return getAddress(row.address);
    throw err;
  }
}

/** The provider key as a viem account (the private key is opened only in memory). */
export async function providerAccount(db: DbOrTx, organizationId: string): Promise<PrivateKeyAccount> {
  await providerKeyAddress(db, organizationId);
  const row = await db.approvalProviderKey.findUniqueOrThrow({ where: { organizationId } });
  const raw = openSecret(row.sealedKey as unknown as SealedBlob, context(organizationId));
  return privateKeyToAccount(toHex(raw));
}

const DEVNET_GAS_FLOOR = parseEther("1");

/**
 * On a devnet, tops the provider key up so it can pay for Safe creation and execution (anvil's
 * anvil_setBalance). On a real network the organization funds the provider key's address.
 */
export async function ensureDevnetGas(network: Network, address: Address): Promise<void> {
  if (!network.isDevnet) return;
  const client = publicClientFor(network);
  const balance = await client.getBalance({ address });
  if (balance >= DEVNET_GAS_FLOOR) return;
  await client.request({ method: "anvil_setBalance" as never, params: [address, numberToHex(parseEther("10"))] as never });
}
