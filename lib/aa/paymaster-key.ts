/**
 * The verifying paymaster's signer: a key derived from the master key (HKDF, purpose
 * `aa-paymaster-signer`), so every instance signs with the same key and nothing is stored.
 * Its address is the `verifyingSigner` the paymaster contract is deployed with.
 */
import { bytesToHex } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { deriveKey } from "@/lib/keystore";

export async function paymasterSigner(): Promise<PrivateKeyAccount> {
  return privateKeyToAccount(bytesToHex(await deriveKey("aa-paymaster-signer")));
}
