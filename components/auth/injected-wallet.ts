import { createConfig, http, injected } from "wagmi";
import { connect, getConnection, signMessage } from "wagmi/actions";
import { mainnet } from "wagmi/chains";
import type { Address } from "viem";

export class WalletAccountMissingError extends Error {
  constructor() {
    super("The wallet did not share an account.");
    this.name = "WalletAccountMissingError";
  }
}

let config: ReturnType<typeof createWalletConfig> | null = null;

function createWalletConfig() {
  return createConfig({
    chains: [mainnet],
    connectors: [injected()],
    transports: { [mainnet.id]: http() },
    ssr: true,
  });
}

function walletConfig() {
  config ??= createWalletConfig();
  return config;
}

/** Connects the injected wallet through wagmi; reuses an existing connection. */
export async function connectInjectedWallet(): Promise<{ address: Address; chainId: number }> {
  const current = getConnection(walletConfig());
  if (current.status === "connected" && current.address) {
    return { address: current.address, chainId: current.chainId };
  }
  const connector = walletConfig().connectors[0];
  const result = await connect(walletConfig(), { connector: connector ?? injected() });
  const address = result.accounts[0];
  if (!address) throw new WalletAccountMissingError();
  return { address, chainId: result.chainId };
}

export function signWithInjectedWallet(message: string, account: Address): Promise<`0x${string}`> {
  return signMessage(walletConfig(), { message, account });
}
