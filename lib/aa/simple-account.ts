/**
 * Isomorphic: viem's SmartAccount for the SimpleAccount of `@account-abstraction/contracts` 0.7
 * (SimpleAccountFactory `createAccount(owner, salt)`), which viem does not ship. The owner signs the
 * UserOperation hash as an EIP-191 message, as SimpleAccount's `_validateSignature` expects.
 */
import { decodeFunctionData, encodeFunctionData, parseAbi, type Account, type Address, type Hex } from "viem";
import { entryPoint07Abi, getUserOperationHash, toSmartAccount, type SmartAccountImplementation } from "viem/account-abstraction";
import { privateKeyToAccount } from "viem/accounts";
import { readContract, signMessage } from "viem/actions";
import { simpleAccountFactoryAbi } from "./abi";

export const simpleAccountAbi = parseAbi([
  "function execute(address dest, uint256 value, bytes func)",
  "function executeBatch(address[] dest, uint256[] value, bytes[] func)",
]);

/** `execute` / `executeBatch` call encoding: SimpleAccount's, which lib/aa/contracts/PasskeyAccount.sol shares. */
export const executeCallsCodec = {
  async decodeCalls(data: Hex) {
    const r = decodeFunctionData({ abi: simpleAccountAbi, data });
    if (r.functionName === "execute") return [{ to: r.args[0], value: r.args[1], data: r.args[2] }];
    return r.args[0].map((to, i) => ({ to, value: r.args[1][i] ?? 0n, data: r.args[2][i] ?? "0x" }));
  },
  async encodeCalls(calls: readonly { to: Address; value?: bigint | undefined; data?: Hex | undefined }[]) {
    if (calls.length === 1) return encodeFunctionData({ abi: simpleAccountAbi, functionName: "execute", args: [calls[0]!.to, calls[0]!.value ?? 0n, calls[0]!.data ?? "0x"] });
    return encodeFunctionData({ abi: simpleAccountAbi, functionName: "executeBatch", args: [calls.map((c) => c.to), calls.map((c) => c.value ?? 0n), calls.map((c) => c.data ?? "0x")] });
  },
};

/** A well-formed (low-s) signature by a throwaway key: validation recovers a wrong signer instead of reverting during gas estimation. */
const STUB_KEY = "0x00000000000000000000000000000000000000000000000000000000000000a1" as const;
let stub: Promise<Hex> | undefined;
const stubSignature = () => (stub ??= privateKeyToAccount(STUB_KEY).signMessage({ message: "countersign stub signature" }));

export async function toSimpleAccountV07(p: { client: SmartAccountImplementation["client"]; owner: Account; factoryAddress: Address; entryPointAddress: Address; salt?: bigint; address?: Address }) {
  const salt = p.salt ?? 0n;
  const entryPoint = { abi: entryPoint07Abi, address: p.entryPointAddress, version: "0.7" } as const;
  let address = p.address;
  return toSmartAccount({
    client: p.client,
    entryPoint,
    ...executeCallsCodec,
    async getAddress() {
      address ??= await readContract(p.client, { address: p.factoryAddress, abi: simpleAccountFactoryAbi, functionName: "getAddress", args: [p.owner.address, salt] });
      return address;
    },
    async getFactoryArgs() {
      return { factory: p.factoryAddress, factoryData: encodeFunctionData({ abi: simpleAccountFactoryAbi, functionName: "createAccount", args: [p.owner.address, salt] }) };
    },
    async getStubSignature() {
      return stubSignature();
    },
    async signMessage({ message }) {
      return signMessage(p.client, { account: p.owner, message });
    },
    async signTypedData() {
      throw new Error("SimpleAccount v0.7 has no ERC-1271 typed-data signing");
    },
    async signUserOperation(parameters) {
      const { chainId = p.client.chain?.id, ...userOperation } = parameters;
      if (chainId === undefined) throw new Error("signUserOperation needs the chain id");
      const hash = getUserOperationHash({ chainId, entryPointAddress: entryPoint.address, entryPointVersion: "0.7", userOperation: { ...userOperation, sender: await this.getAddress() } as never });
      return signMessage(p.client, { account: p.owner, message: { raw: hash } });
    },
  });
}
