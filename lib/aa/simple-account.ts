/**
 * Isomorphic: viem's SmartAccount for the SimpleAccount of `@account-abstraction/contracts` 0.7
 * (SimpleAccountFactory `createAccount(owner, salt)`), which viem does not ship. The owner signs the
 * UserOperation hash as an EIP-191 message, as SimpleAccount's `_validateSignature` expects.
 */
import { encodeFunctionData, type Account, type Address, type Hex } from "viem";
import type { SmartAccountImplementation } from "viem/account-abstraction";
import { privateKeyToAccount } from "viem/accounts";
import { readContract, signMessage } from "viem/actions";
import { simpleAccountFactoryAbi } from "./abi";
import { toFactoryAccount } from "./factory-account";

/** A well-formed (low-s) signature by a throwaway key: validation recovers a wrong signer instead of reverting during gas estimation. */
const STUB_KEY = "0x00000000000000000000000000000000000000000000000000000000000000a1" as const;
let stub: Promise<Hex> | undefined;
const stubSignature = () => (stub ??= privateKeyToAccount(STUB_KEY).signMessage({ message: "countersign stub signature" }));

export async function toSimpleAccountV07(p: { client: SmartAccountImplementation["client"]; owner: Account; factoryAddress: Address; entryPointAddress: Address; salt?: bigint; address?: Address }) {
  const args = [p.owner.address, p.salt ?? 0n] as const;
  return toFactoryAccount({
    ...p,
    kind: "SimpleAccount v0.7",
    readAddress: () => readContract(p.client, { address: p.factoryAddress, abi: simpleAccountFactoryAbi, functionName: "getAddress", args }),
    factoryData: encodeFunctionData({ abi: simpleAccountFactoryAbi, functionName: "createAccount", args }),
    stubSignature,
    signHash: (hash) => signMessage(p.client, { account: p.owner, message: { raw: hash } }),
    signMessage: (message) => signMessage(p.client, { account: p.owner, message }),
  });
}
