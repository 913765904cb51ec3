/**
 * One lane of searchSafePrimesNative (lib/mpc/primes-native.ts): safe primes in a loop, each sent to
 * the parent over IPC as hex. Engine "openssl": OpenSSL's generatePrime (no project code loaded, so
 * the lane starts in tens of milliseconds). Engine "wasm": the project's generator (primes.ts with
 * its deep sieve; about a quarter fewer Fermat tests per 1536-bit prime than OpenSSL's search here),
 * loaded through tsx; OpenSSL where WebAssembly is unavailable. A process rather than a worker
 * thread because the parent stops the lanes still searching once it has enough primes, and a
 * thread inside OpenSSL's search cannot be stopped (terminate() waits for native code to return).
 *
 * argv: [bits, engine]. The first message names the engine that runs ({ engine }), every other one
 * is a prime. Exits when the parent disconnects (stopped, or gone) and on any error (exit code 1).
 */
import { generatePrime } from "node:crypto";

const bits = Number(process.argv[2]);
const engine = process.argv[3] ?? "openssl";
if (!Number.isSafeInteger(bits) || bits < 16 || !["openssl", "wasm"].includes(engine) || typeof process.send !== "function") {
  process.stderr.write("usage: a child process with an IPC channel, argv [bits ≥ 16, openssl|wasm]\n");
  process.exit(1);
}
process.on("disconnect", () => process.exit(0));
/** Hands a prime to the parent; false once the parent is gone. */
const send = (hex) => {
  if (!process.connected) return false;
  process.send(hex);
  return true;
};

if (engine === "wasm") {
  const { tsImport } = await import("tsx/esm/api");
  const { searchWithWasm } = await tsImport("./safe-prime-lane.ts", import.meta.url);
  await searchWithWasm(bits, send, () => process.send({ engine: "wasm" }));
}
if (process.connected) process.send({ engine: "openssl" });
const next = () => new Promise((resolve, reject) => generatePrime(bits, { safe: true, bigint: true }, (err, p) => (err ? reject(err) : resolve(p))));
while (process.connected) send((await next()).toString(16));
