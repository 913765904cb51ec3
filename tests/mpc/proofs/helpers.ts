import { expect } from "vitest";
import { EncodingError, ProofError } from "@/lib/mpc/errors";
import { fixtureSafePrimes } from "@/lib/mpc/fixtures";
import { paillierSecretKey, paillierPublicKey } from "@/lib/mpc/paillier";
import { FAST_TEST } from "@/lib/mpc/params";
import { generateRingPedersen, publicRingPedersen } from "@/lib/mpc/ring-pedersen";
import { T, type SharedState } from "@/lib/mpc/transcript";

export const profile = FAST_TEST;
const primes = fixtureSafePrimes(1024);
export const prime = (i: number): bigint => {
  const p = primes[i];
  if (p === undefined) throw new Error(`no fixture prime ${i}`);
  return p;
};

/** Prover (party 0) Paillier key; verifier (party 1) Paillier key and ring-Pedersen parameters. */
export const proverPaillier = paillierSecretKey(prime(0), prime(1));
export const proverPaillierPub = paillierPublicKey(proverPaillier.N);
export const verifierPaillier = paillierSecretKey(prime(4), prime(5));
export const verifierPaillierPub = paillierPublicKey(verifierPaillier.N);
export const verifierAux = generateRingPedersen(prime(2), prime(3));
export const verifierAuxPub = publicRingPedersen(verifierAux);

export const ss: SharedState = {
  sid: new Uint8Array(32).fill(3),
  prover: 0,
  verifier: 1,
  label: "test",
  context: [["num", T.int(0)]],
};

/** Variants of ss differing in exactly one field. */
export const ssVariants: SharedState[] = [
  { ...ss, sid: new Uint8Array(32).fill(4) },
  { ...ss, prover: 2 },
  { ...ss, verifier: 2 },
  { ...ss, label: "other" },
  { ...ss, context: [["num", T.int(1)]] },
];

export function expectCheck(fn: () => void, check: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected ProofError ${check}`).toBeInstanceOf(ProofError);
  expect((caught as ProofError).check).toBe(check);
}

export function expectDecodeError(fn: () => unknown): void {
  expect(fn).toThrow(EncodingError);
}
