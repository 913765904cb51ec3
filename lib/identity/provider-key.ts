import { getAddress, numberToHex, parseEther, toHex, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import type { DbOrTx } from "@/lib/db/client";
import { openSecret, sealSecret, type SealedBlob } from "@/lib/keystore";
import { publicClientFor, type Network } from "@/lib/chain/networks";

/**
 * The keys of the proof providers this server runs. "local" is the development proof provider (the
 * equivalent of Self's testnet mock documents): a secp256k1 key, sealed with the master key, that
 * the devnet registry authorises to mint and burn. Installation-wide, created on first use.
 */
export const LOCAL_PROVIDER = "local";
const context = (name: string) => `identity-provider-key:${name}`;

export async function providerKeyAddress(db: DbOrTx, name: string = LOCAL_PROVIDER): Promise<Address> {
  const existing = await db.identityProviderKey.findUnique({ where: { name } });
  if (existing) return getAddress(existing.address);
  const pk = generatePrivateKey();
  const address = privateKeyToAccount(pk).address;
  const sealed = sealSecret(Buffer.from(pk.slice(2), "hex"), context(name));
  try {
    await db.identityProviderKey.create({ data: { name, address, sealedKey: sealed as object } });
    return address;
  } catch (err) {
    // Another instance created it first: use theirs.
    const row = await db.identityProviderKey.findUnique({ where: { name } });
    if (row) return getAddress(row.address);
    throw err;
  }
}

/** The provider key as a viem account (opened only in memory). */
export async function providerAccount(db: DbOrTx, name: string = LOCAL_PROVIDER): Promise<PrivateKeyAccount> {
  await providerKeyAddress(db, name);
  const row = await db.identityProviderKey.findUniqueOrThrow({ where: { name } });
  const raw = openSecret(row.sealedKey as unknown as SealedBlob, context(name));
  return privateKeyToAccount(toHex(raw));
}

/** On a devnet, tops the provider up so it can pay for mints and burns (anvil_setBalance). */
export async function ensureProviderGas(network: Network, address: Address): Promise<void> {
  if (!network.isDevnet) return;
  const client = publicClientFor(network);
  if ((await client.getBalance({ address })) >= parseEther("1")) return;
  await client.request({ method: "anvil_setBalance" as never, params: [address, numberToHex(parseEther("10"))] as never });
}
