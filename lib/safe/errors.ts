/** Errors raised while putting the canonical Safe contracts on a chain. */

export class SafeDeploymentError extends Error {
  override name = "SafeDeploymentError";
}

/** The chain has no presigned singleton-factory transaction in @safe-global/safe-singleton-factory. */
export class UnsupportedChainError extends SafeDeploymentError {
  override name = "UnsupportedChainError";
  constructor(
    readonly chainId: number,
    options?: ErrorOptions,
  ) {
    super(`no presigned Safe singleton factory deployment for chain ${chainId}, and the node does not accept anvil_setCode`, options);
  }
}

/** An artifact or a deployed contract does not match what safe-deployments records as canonical. */
export class CanonicalMismatchError extends SafeDeploymentError {
  override name = "CanonicalMismatchError";
}
