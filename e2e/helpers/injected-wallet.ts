import type { Page } from "@playwright/test";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { hexToString, type Hex } from "viem";

/**
 * Installs a minimal EIP-1193 browser wallet as window.ethereum before any page script runs.
 * Signing happens in Node with a throwaway viem account (exposed to the page as a binding), so the
 * signature the server checks is a real secp256k1 personal_sign signature.
 */
export async function installInjectedWallet(page: Page, chainId = 1): Promise<PrivateKeyAccount> {
  const account = privateKeyToAccount(generatePrivateKey());
  await page.exposeFunction("__countersignTestWalletSign", (messageHex: Hex) => account.signMessage({ message: hexToString(messageHex) }));
  await page.addInitScript(
    ({ address, chainIdHex }) => {
      type Listener = (...args: unknown[]) => void;
      const listeners = new Map<string, Set<Listener>>();
      const sign = (window as unknown as { __countersignTestWalletSign: (hex: string) => Promise<string> }).__countersignTestWalletSign;
      const provider = {
        isMetaMask: false,
        async request({ method, params }: { method: string; params?: unknown[] }) {
          switch (method) {
            case "eth_requestAccounts":
            case "eth_accounts":
              return [address];
            case "eth_chainId":
              return chainIdHex;
            case "net_version":
              return String(Number.parseInt(chainIdHex, 16));
            case "wallet_requestPermissions":
            case "wallet_getPermissions":
              return [{ parentCapability: "eth_accounts" }];
            case "personal_sign": {
              const [message, from] = (params ?? []) as [string, string];
              if (from.toLowerCase() !== address.toLowerCase()) throw Object.assign(new Error("Unknown account"), { code: 4100 });
              return sign(message);
            }
            default:
              throw Object.assign(new Error(`Unsupported method ${method}`), { code: 4200 });
          }
        },
        on(event: string, listener: Listener) {
          if (!listeners.has(event)) listeners.set(event, new Set());
          listeners.get(event)?.add(listener);
          return provider;
        },
        removeListener(event: string, listener: Listener) {
          listeners.get(event)?.delete(listener);
          return provider;
        },
      };
      Object.defineProperty(window, "ethereum", { value: provider, configurable: true });
    },
    { address: account.address, chainIdHex: `0x${chainId.toString(16)}` },
  );
  return account;
}
