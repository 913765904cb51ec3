/**
 * Writes TEST-ONLY safe-prime fixtures to lib/mpc/fixtures/safe-primes-<bits>.json using OpenSSL.
 * Usage: npx tsx tools/gen-primes.ts [bits=1024] [count=16]
 * These primes are public: never use them for real keys.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { generateSafePrimeNative } from "../lib/mpc/primes-native";
import { isSafePrime } from "../lib/mpc/primes";

const bits = Number(process.argv[2] ?? 1024);
const count = Number(process.argv[3] ?? 16);
const out = fileURLToPath(new URL(`../lib/mpc/fixtures/safe-primes-${bits}.json`, import.meta.url));

const primes: string[] = [];
const seen = new Set<bigint>();
while (primes.length < count) {
  const t0 = Date.now();
  const p = await generateSafePrimeNative(bits);
  if (seen.has(p) || !isSafePrime(p, bits)) continue;
  seen.add(p);
  primes.push(p.toString(16));
  console.log(`${bits}-bit safe prime ${primes.length}/${count} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
writeFileSync(
  out,
  JSON.stringify(
    {
      description: "TEST ONLY: public pregenerated safe primes for tests and benchmarks. Never use for real keys.",
      bits,
      primes,
    },
    null,
    2,
  ) + "\n",
);
console.log(`wrote ${out}`);
