/** Errors raised by the local devnet and the chain helpers. */

export class DevnetError extends Error {
  override name = "DevnetError";
}

/** anvil could not be found for this platform (the optional platform package is missing). */
export class AnvilBinaryNotFoundError extends DevnetError {
  override name = "AnvilBinaryNotFoundError";
}

/** anvil exited or did not answer `eth_chainId` in time. Carries anvil's own output for diagnosis. */
export class DevnetStartError extends DevnetError {
  override name = "DevnetStartError";
  constructor(
    message: string,
    readonly stderr: string,
    readonly stdout: string,
  ) {
    super(stderr.trim() ? `${message}\n--- anvil stderr ---\n${stderr.trim()}` : message);
  }
}

export class InvalidSignatureError extends Error {
  override name = "InvalidSignatureError";
}

export class ChainIdMismatchError extends Error {
  override name = "ChainIdMismatchError";
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`RPC node reports chain id ${actual}, expected ${expected}`);
  }
}

export class TransactionRevertedError extends Error {
  override name = "TransactionRevertedError";
  constructor(readonly transactionHash: `0x${string}`) {
    super(`transaction ${transactionHash} reverted`);
  }
}
