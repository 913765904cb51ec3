/**
 * ERC-4337 on a fresh anvil, as `npm start` sets it up: the network registered, the EntryPoint v0.7,
 * the account factories and the verifying paymaster deployed (setUpDevnetAa), the real Alto bundler
 * as a child process, and BUNDLER_RPC_URL pointing at it. `before` runs after the network is
 * registered and before the ERC-4337 contracts (e.g. the identity registry). Call `stop` in afterAll.
 */
import { privateKeyToAccount } from "viem/accounts";
import { resetEnvCache } from "@/lib/config/env";
import { startDevnet, type Devnet } from "@/lib/chain/devnet";
import { localDevnetNetwork, type Network } from "@/lib/chain/networks";
import { syncNetworks } from "@/lib/chain/network-registry";
import { db } from "@/lib/db/client";
import { startBundler, type Bundler } from "@/lib/aa/bundler-process";
import { setUpDevnetAa, type AaDeployment } from "@/lib/aa/deploy";

export type AaDevnet = { devnet: Devnet; network: Network; aa: AaDeployment & { paymasterDeployed: boolean }; bundler: Bundler; stop(): Promise<void> };

export async function startAaDevnet(before?: (network: Network, devnet: Devnet) => Promise<void>): Promise<AaDevnet> {
  const devnet = await startDevnet({ port: 0 });
  const network = localDevnetNetwork(devnet.rpcUrl, devnet.chainId);
  await syncNetworks(db(), [network]);
  await before?.(network, devnet);
  const aa = await setUpDevnetAa(db(), network, privateKeyToAccount(devnet.fundedAccounts[0]!.privateKey));
  const accounts = devnet.fundedAccounts;
  const bundler = await startBundler({ rpcUrl: devnet.rpcUrl, entryPoint: aa.entryPoint, executorPrivateKey: accounts[8]!.privateKey, utilityPrivateKey: accounts[9]!.privateKey, startupTimeoutMs: 120_000 });
  process.env.BUNDLER_RPC_URL = bundler.rpcUrl;
  resetEnvCache();
  return {
    devnet,
    network,
    aa,
    bundler,
    async stop() {
      delete process.env.BUNDLER_RPC_URL;
      resetEnvCache();
      await bundler.stop();
      await devnet.stop();
    },
  };
}
