/** True when a browser wallet (MetaMask, Rabby, …) has injected an EIP-1193 provider. */
export function hasInjectedWallet(): boolean {
  return typeof window !== "undefined" && "ethereum" in window && Boolean((window as { ethereum?: unknown }).ethereum);
}
