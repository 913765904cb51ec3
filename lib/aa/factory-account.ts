/**
 * Isomorphic: the viem SmartAccount shared by this project's ERC-4337 v0.7 accounts — made by a
 * CREATE2 factory (`getAddress(…)` / `createAccount(…)`), calling through SimpleAccount's
 * `execute` / `executeBatch`, validating one owner's signature over the UserOperation hash. The
 * account kinds differ only in the factory's arguments and how the owner signs.
 */
import { decodeFunctionData, encodeFunctionData, parseAbi, type Address, type Hex, type SignableMessage } from "viem";
import { entryPoint07Abi, getUserOperationHash, toSmartAccount, type SmartAccountImplementation } from "viem/account-abstraction";

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

export type FactoryAccountParams = {
  client: SmartAccountImplementation["client"];
  entryPointAddress: Address;
  factoryAddress: Address;
  /** Known address (skips the factory's getAddress call). */
  address?: Address;
  /** For error messages. */
  kind: string;
  /** The factory's counterfactual address for this owner and salt. */
  readAddress: () => Promise<Address>;
  /** `createAccount(…)` calldata for this owner and salt. */
  factoryData: Hex;
  /** A well-formed signature that fails validation, for gas estimation. */
  stubSignature: () => Promise<Hex>;
  /** The owner's signature over a UserOperation hash, as the account's validation expects it. */
  signHash: (hash: Hex) => Promise<Hex>;
  /** ERC-1271 message signing, when the account has it. */
  signMessage?: (message: SignableMessage) => Promise<Hex>;
};

export async function toFactoryAccount(p: FactoryAccountParams) {
  const entryPoint = { abi: entryPoint07Abi, address: p.entryPointAddress, version: "0.7" } as const;
  let address = p.address;
  return toSmartAccount({
    client: p.client,
    entryPoint,
    ...executeCallsCodec,
    async getAddress() {
      address ??= await p.readAddress();
      return address;
    },
    async getFactoryArgs() {
      return { factory: p.factoryAddress, factoryData: p.factoryData };
    },
    getStubSignature: p.stubSignature,
    async signMessage({ message }) {
      if (!p.signMessage) throw new Error(`${p.kind} has no ERC-1271 message signing`);
      return p.signMessage(message);
    },
    async signTypedData() {
      throw new Error(`${p.kind} has no ERC-1271 typed-data signing`);
    },
    async signUserOperation(parameters) {
      const { chainId = p.client.chain?.id, ...userOperation } = parameters;
      if (chainId === undefined) throw new Error("signUserOperation needs the chain id");
      const hash = getUserOperationHash({ chainId, entryPointAddress: entryPoint.address, entryPointVersion: "0.7", userOperation: { ...userOperation, sender: await this.getAddress() } as never });
      return p.signHash(hash);
    },
  });
}
