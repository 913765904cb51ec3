/**
 * One lane of searchSafePrimesNative (lib/mpc/primes-native.ts): OpenSSL's safe-prime generation in
 * a loop, each prime sent to the parent over IPC as hex. A process rather than a worker thread
 * because the parent stops the lanes still searching once it has enough primes, and a thread inside
 * OpenSSL's search cannot be stopped (terminate() waits for native code to return). Plain
 * JavaScript with no imports of the project, so it starts in tens of milliseconds.
 *
 * argv: [bits]. Exits when the parent disconnects (stopped, or gone) and on any error (exit code 1).
 */
import { generatePrime } from "node:crypto";

const bits = Number(process.argv[2]);
if (!Number.isSafeInteger(bits) || bits < 16 || typeof process.send !== "function") {
  process.stderr.write("usage: a child process with an IPC channel, argv [bits ≥ 16]\n");
  process.exit(1);
}
process.on("disconnect", () => process.exit(0));

const next = () => new Promise((resolve, reject) => generatePrime(bits, { safe: true, bigint: true }, (err, p) => (err ? reject(err) : resolve(p))));
for (;;) {
  const prime = await next();
  if (!process.connected) break;
  process.send(prime.toString(16));
}
