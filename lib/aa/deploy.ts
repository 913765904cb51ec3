/**
 * ERC-4337 v0.7 on a chain (node only: reads the npm artifacts): the EntryPoint at its canonical
 * address (CREATE2 through the deterministic deployer, as on every public chain), the
 * SimpleAccountFactory and the passkey account factory (CREATE2, zero salt), and a VerifyingPaymaster whose signer is this server's
 * paymaster key, owned by the deployer, funded with a deposit and staked. `npm start` runs
 * `setUpDevnetAa` on the local devnet; the addresses go into the network registry.
 */
import { concatHex, encodeAbiParameters, getAddress, getContractAddress, isAddressEqual, parseEther, zeroHash, type Account, type Address, type Hex } from "viem";
import type { DbOrTx } from "@/lib/db/client";
import { publicClientFor, walletClientFor, type Network } from "@/lib/chain/networks";
import { DETERMINISTIC_DEPLOYER, ENTRY_POINT_V07, ENTRY_POINT_V07_SALT, entryPointAbi, verifyingPaymasterAbi } from "./abi";
import { aaArtifact } from "./artifacts";
import { compilePasskeyAccountFactory } from "./compile";
import { paymasterSigner } from "./paymaster-key";

export type AaDeployment = { entryPoint: Address; accountFactory: Address; paymaster: Address; passkeyFactory: Address };

async function hasCode(network: Network, address: Address): Promise<boolean> {
  const code = await publicClientFor(network).getCode({ address });
  return !!code && code !== "0x";
}

/** CREATE2 through the deterministic deployer (idempotent: an address that holds code is left alone). */
async function create2(network: Network, deployer: Account, initCode: Hex, salt: Hex = zeroHash): Promise<Address> {
  const address = getContractAddress({ opcode: "CREATE2", from: DETERMINISTIC_DEPLOYER, salt, bytecode: initCode });
  if (await hasCode(network, address)) return address;
  if (!(await hasCode(network, DETERMINISTIC_DEPLOYER))) throw new Error(`no deterministic deployer at ${DETERMINISTIC_DEPLOYER} on chain ${network.chainId}`);
  const hash = await walletClientFor(network, deployer).sendTransaction({ to: DETERMINISTIC_DEPLOYER, data: concatHex([salt, initCode]), gas: 8_000_000n });
  const receipt = await publicClientFor(network).waitForTransactionReceipt({ hash });
  if (receipt.status !== "success" || !(await hasCode(network, address))) throw new Error(`CREATE2 deployment ${hash} failed`);
  return address;
}

export async function deployEntryPoint(network: Network, deployer: Account): Promise<Address> {
  const address = await create2(network, deployer, aaArtifact("EntryPoint").bytecode, ENTRY_POINT_V07_SALT);
  if (!isAddressEqual(address, ENTRY_POINT_V07)) throw new Error(`EntryPoint landed at ${address}, not the canonical ${ENTRY_POINT_V07}`);
  return ENTRY_POINT_V07;
}

export async function deployAccountFactory(network: Network, deployer: Account, entryPoint: Address): Promise<Address> {
  const initCode = concatHex([aaArtifact("SimpleAccountFactory").bytecode, encodeAbiParameters([{ type: "address" }], [entryPoint])]);
  return getAddress(await create2(network, deployer, initCode));
}

/** The passkey account factory (lib/aa/contracts/PasskeyAccount.sol), CREATE2 with a zero salt: its address follows from the build and the EntryPoint. */
export async function deployPasskeyAccountFactory(network: Network, deployer: Account, entryPoint: Address): Promise<Address> {
  const initCode = concatHex([compilePasskeyAccountFactory().bytecode, encodeAbiParameters([{ type: "address" }], [entryPoint])]);
  return getAddress(await create2(network, deployer, initCode));
}

/** True when `address` is a VerifyingPaymaster for this EntryPoint with this signer. */
async function isOurPaymaster(network: Network, address: Address, entryPoint: Address, signer: Address): Promise<boolean> {
  if (!(await hasCode(network, address))) return false;
  const client = publicClientFor(network);
  try {
    const [ep, s] = await Promise.all([
      client.readContract({ address, abi: verifyingPaymasterAbi, functionName: "entryPoint" }),
      client.readContract({ address, abi: verifyingPaymasterAbi, functionName: "verifyingSigner" }),
    ]);
    return isAddressEqual(ep, entryPoint) && isAddressEqual(s, signer);
  } catch {
    return false;
  }
}

export type PaymasterFunding = { depositWei?: bigint; stakeWei?: bigint; unstakeDelaySec?: number };

/** Deploys (or reuses `recorded`) the verifying paymaster, then tops up its deposit and stake. */
export async function ensurePaymaster(network: Network, owner: Account, entryPoint: Address, recorded: Address | null, funding: PaymasterFunding = {}): Promise<{ address: Address; deployed: boolean }> {
  const signer = (await paymasterSigner()).address;
  const client = publicClientFor(network);
  const wallet = walletClientFor(network, owner);
  let address = recorded && (await isOurPaymaster(network, recorded, entryPoint, signer)) ? getAddress(recorded) : null;
  const deployed = !address;
  if (!address) {
    const artifact = aaArtifact("VerifyingPaymaster");
    const hash = await wallet.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, args: [entryPoint, signer] });
    const receipt = await client.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success" || !receipt.contractAddress) throw new Error(`paymaster deployment ${hash} failed`);
    address = getAddress(receipt.contractAddress);
  }
  const wantDeposit = funding.depositWei ?? parseEther("100");
  const deposit = await client.readContract({ address: entryPoint, abi: entryPointAbi, functionName: "balanceOf", args: [address] });
  if (deposit < wantDeposit / 2n) {
    const h = await wallet.writeContract({ address: entryPoint, abi: entryPointAbi, functionName: "depositTo", args: [address], value: wantDeposit - deposit });
    await client.waitForTransactionReceipt({ hash: h });
  }
  const info = await client.readContract({ address: entryPoint, abi: entryPointAbi, functionName: "getDepositInfo", args: [address] });
  if (!info.staked) {
    const h = await wallet.writeContract({ address, abi: verifyingPaymasterAbi, functionName: "addStake", args: [funding.unstakeDelaySec ?? 86_400], value: funding.stakeWei ?? parseEther("1") });
    const r = await client.waitForTransactionReceipt({ hash: h });
    if (r.status !== "success") throw new Error(`paymaster addStake ${h} reverted`);
  }
  return { address, deployed };
}

/** The whole set on a chain: EntryPoint, factory, paymaster (reusing `recorded`'s paymaster when it still fits). */
export async function deployAa(network: Network, owner: Account, recorded: Partial<AaDeployment> = {}): Promise<AaDeployment & { paymasterDeployed: boolean }> {
  const entryPoint = await deployEntryPoint(network, owner);
  const accountFactory = await deployAccountFactory(network, owner, entryPoint);
  const passkeyFactory = await deployPasskeyAccountFactory(network, owner, entryPoint);
  const pm = await ensurePaymaster(network, owner, entryPoint, recorded.paymaster ?? null);
  return { entryPoint, accountFactory, passkeyFactory, paymaster: pm.address, paymasterDeployed: pm.deployed };
}

export async function recordAaDeployment(db: DbOrTx, chainId: number, d: AaDeployment): Promise<void> {
  await db.network.update({ where: { chainId }, data: { aaEntryPoint: d.entryPoint, aaAccountFactory: d.accountFactory, aaPaymaster: d.paymaster, aaPasskeyFactory: d.passkeyFactory } });
}

/** `npm start` on the local devnet: deploy (or find) the contracts and record them in the network registry. */
export async function setUpDevnetAa(db: DbOrTx, network: Network, owner: Account): Promise<AaDeployment & { paymasterDeployed: boolean }> {
  if (!network.isDevnet) throw new Error("setUpDevnetAa is for a local devnet only");
  const row = await db.network.findUnique({ where: { chainId: network.chainId } });
  const d = await deployAa(network, owner, { paymaster: (row?.aaPaymaster ?? undefined) as Address | undefined });
  await recordAaDeployment(db, network.chainId, d);
  return d;
}
