/**
 * Pure: seed 003's account-abstraction proxy contract — the method allow-lists, the 200 KB body
 * limit, the error messages — and how an upstream URL is chosen for a chain.
 */

/** Seed 003: the bundler proxy forwards exactly these (8). */
export const BUNDLER_METHODS = [
  "eth_chainId",
  "eth_supportedEntryPoints",
  "eth_estimateUserOperationGas",
  "eth_sendUserOperation",
  "eth_getUserOperationReceipt",
  "eth_getUserOperationByHash",
  "eth_gasPrice",
  "eth_maxPriorityFeePerGas",
] as const;

/** Seed 003: the paymaster proxy answers exactly these (4). */
export const PAYMASTER_METHODS = ["pm_sponsorUserOperation", "pm_getPaymasterData", "pm_getPaymasterStubData", "eth_chainId"] as const;

export type BundlerMethod = (typeof BUNDLER_METHODS)[number];
export type PaymasterMethod = (typeof PAYMASTER_METHODS)[number];

/** Seed 003: "Request too large (AA proxy, 200 KB limit)". */
export const AA_BODY_LIMIT_BYTES = 200 * 1024;

/** The proxy token's header. */
export const AA_TOKEN_HEADER = "x-aa-proxy-token";

export const AA_ERRORS = {
  notConfigured: "Service not configured",
  origin: "Origin not allowed",
  missingToken: "Missing x-aa-proxy-token header",
  invalidToken: "Invalid or tampered proxy token",
  expiredToken: "Proxy token expired",
  wrongChain: "Proxy token was issued for another chain",
  tooLarge: "Request too large",
  batch: "Batch requests are not supported",
  rpcFailure: "RPC failure",
} as const;

export function methodNotAllowed(method: string): string {
  return `Method not allowed: ${method.slice(0, 100)}`;
}

export function isAllowed<T extends string>(list: readonly T[], method: string): method is T {
  return (list as readonly string[]).includes(method);
}

/** An upstream URL for a chain: `{chainId}` replaced (Pimlico-style per-chain URLs), else the URL as is. */
export function upstreamUrl(template: string, chainId: number): string {
  return template.replaceAll("{chainId}", String(chainId));
}

export function servesAnyChain(template: string): boolean {
  return template.includes("{chainId}");
}

/** Whether a request's Origin is the app's own (scheme, host and port; a missing Origin is refused). */
export function sameOrigin(header: string | null, appOrigin: string): boolean {
  if (!header) return false;
  try {
    return new URL(header).origin === new URL(appOrigin).origin;
  } catch {
    return false;
  }
}

/**
 * The most a sponsored v0.7 operation can cost: every gas limit times maxFeePerGas (what the
 * EntryPoint takes from the paymaster's deposit at most).
 */
export function maxOperationCost(op: { callGasLimit: bigint; verificationGasLimit: bigint; preVerificationGas: bigint; paymasterVerificationGasLimit?: bigint; paymasterPostOpGasLimit?: bigint; maxFeePerGas: bigint }): bigint {
  const gas = op.callGasLimit + op.verificationGasLimit + op.preVerificationGas + (op.paymasterVerificationGasLimit ?? 0n) + (op.paymasterPostOpGasLimit ?? 0n);
  return gas * op.maxFeePerGas;
}
