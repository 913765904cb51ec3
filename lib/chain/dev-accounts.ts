import { pbkdf2 } from "@noble/hashes/pbkdf2.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { toHex, type Address, type Hex } from "viem";
import { HDKey, hdKeyToAccount } from "viem/accounts";

/**
 * DEV ONLY. The well-known Hardhat/Foundry test mnemonic. Every key derived from it is public
 * knowledge: anything sent to these addresses on a real network is taken within seconds.
 * It exists so a fresh local devnet has documented, funded accounts.
 */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

/** Ether given to each dev account by anvil (its default). */
export const DEV_ACCOUNT_BALANCE_ETH = 10_000;
export const DEV_ACCOUNT_COUNT = 10;

export interface FundedDevAccount {
  address: Address;
  /** DEV ONLY: private key derived from a public mnemonic. */
  privateKey: Hex;
  derivationPath: string;
}

/** BIP-39 seed (no passphrase), computed once for all indices: its 2048 PBKDF2 rounds are the slow part. */
function bip39Seed(mnemonic: string): Uint8Array {
  const encoder = new TextEncoder();
  return pbkdf2(sha512, encoder.encode(mnemonic.normalize("NFKD")), encoder.encode("mnemonic"), { c: 2048, dkLen: 64 });
}

/** Derives the accounts anvil funds for `mnemonic` (path m/44'/60'/0'/0/i, as anvil does). */
export function deriveDevAccounts(mnemonic: string = DEV_MNEMONIC, count: number = DEV_ACCOUNT_COUNT): FundedDevAccount[] {
  const master = HDKey.fromMasterSeed(bip39Seed(mnemonic));
  return Array.from({ length: count }, (_, index) => {
    const account = hdKeyToAccount(master, { addressIndex: index });
    const key = account.getHdKey().privateKey;
    if (!key) throw new Error(`mnemonic derivation produced no private key at index ${index}`);
    return { address: account.address, privateKey: toHex(key), derivationPath: `m/44'/60'/0'/0/${index}` };
  });
}
