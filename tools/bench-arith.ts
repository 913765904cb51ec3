/**
 * Big-integer benchmark for lib/mpc/bigint: each backend on the exponentiations CGGMP24 needs
 * (3072-bit modexp, Paillier N² modexp, two-base multiexp, fixed-base s^x·t^y), plus gmp-wasm
 * (devDependency, comparison only). Run: npx tsx tools/bench-arith.ts
 */
import {
  createFixedBaseTable,
  fixedBaseMultiPow,
  getBackend,
  getBackendSelection,
  listBackends,
  modPow,
  modPowSecret,
  multiExp,
  randomBelow,
  randomBits,
  randomUnit,
  selectFastestBackend,
  setBackend,
  type BackendName,
} from "@/lib/mpc/bigint";

export interface BenchRow {
  name: string;
  backend: string;
  ms_median: number;
  ms_min: number;
  ms_max: number;
  runs: number;
}

function oddModulus(bits: number): bigint {
  return randomBits(bits) | (1n << BigInt(bits - 1)) | 1n;
}

function timeRuns(fn: () => unknown, runs: number): Omit<BenchRow, "name" | "backend"> {
  fn(); // warm-up (JIT, wasm tier-up, table setup)
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const round = (x: number): number => Math.round(x * 100) / 100;
  return {
    ms_median: round(times[Math.floor(times.length / 2)] ?? 0),
    ms_min: round(times[0] ?? 0),
    ms_max: round(times[times.length - 1] ?? 0),
    runs,
  };
}

interface GmpLike {
  powm(base: bigint, exp: bigint, m: bigint): bigint;
  destroy(): void;
}

/** gmp-wasm is optional: it is a devDependency used only for this comparison. */
async function loadGmp(): Promise<GmpLike | null> {
  try {
    const { init } = await import("gmp-wasm");
    const gmp = await init();
    const ctx = gmp.getContext();
    return {
      powm: (base, exp, m) =>
        BigInt(ctx.Integer(base.toString(), 10).pow(ctx.Integer(exp.toString(), 10), ctx.Integer(m.toString(), 10)).toString()),
      destroy: () => ctx.destroy(),
    };
  } catch {
    return null;
  }
}

export async function benchArith(runs = 5): Promise<BenchRow[]> {
  const m3072 = oddModulus(3072);
  const n2 = oddModulus(6144);
  const b1 = randomUnit(m3072);
  const b2 = randomUnit(m3072);
  const e1 = randomBits(3072);
  const e2 = randomBits(3072);
  const bN2 = randomBelow(n2);
  const sExp = randomBits(2304);
  const tExp = randomBits(3843);
  const m1536 = oddModulus(1536);
  const e1536 = randomBits(1536);
  const b1536 = randomBelow(m1536);
  const cases: { name: string; run: () => bigint }[] = [
    { name: "modexp 3072-bit mod, 3072-bit exp", run: () => modPow(b1, e1, m3072) },
    { name: "modexp 3072-bit mod, 3072-bit exp, secret (constant-time)", run: () => modPowSecret(b1, e1, m3072, 3072) },
    { name: "modexp 1536-bit mod (CRT half of N), 1536-bit exp", run: () => modPow(b1536, e1536, m1536) },
    { name: "modexp 1536-bit mod (CRT half of N), 1536-bit exp, secret (constant-time)", run: () => modPowSecret(b1536, e1536, m1536, 1536) },
    { name: "modexp 6144-bit mod (N²), 3072-bit exp", run: () => modPow(bN2, e1, n2) },
    { name: "multiExp 2 bases, 3072-bit mod/exps", run: () => multiExp([b1, b2], [e1, e2], m3072) },
    { name: "2 modPows (for comparison)", run: () => (modPow(b1, e1, m3072) * modPow(b2, e2, m3072)) % m3072 },
  ];
  const sTable = createFixedBaseTable(b1, m3072, 2304);
  const tTable = createFixedBaseTable(b2, m3072, 3843, sTable.windowBits);
  cases.push({
    name: `fixed-base s^x·t^y, 2304/3843-bit signed exps (w=${sTable.windowBits})`,
    run: () => fixedBaseMultiPow([sTable, tTable], [sExp, -tExp]),
  });
  cases.push({ name: "multiExp s^x·t^y, 2304/3843-bit signed exps", run: () => multiExp([b1, b2], [sExp, -tExp], m3072) });

  const previous = getBackend().name;
  const rows: BenchRow[] = [];
  for (const backend of listBackends()) {
    if (!backend.isAvailable()) continue;
    setBackend(backend.name);
    for (const c of cases) rows.push({ name: c.name, backend: backend.name, ...timeRuns(c.run, runs) });
  }
  setBackend(previous as BackendName);

  const gmp = await loadGmp();
  if (gmp !== null && gmp.powm(b1, e1, m3072) !== modPow(b1, e1, m3072)) {
    throw new Error("gmp-wasm disagrees with lib/mpc/bigint on the benchmark input");
  }
  if (gmp !== null) {
    rows.push({ name: "modexp 3072-bit mod, 3072-bit exp", backend: "gmp-wasm (incl. string I/O)", ...timeRuns(() => gmp.powm(b1, e1, m3072), runs) });
    rows.push({ name: "modexp 6144-bit mod (N²), 3072-bit exp", backend: "gmp-wasm (incl. string I/O)", ...timeRuns(() => gmp.powm(bN2, e1, n2), runs) });
    gmp.destroy();
  }
  return rows;
}

async function main(): Promise<void> {
  const selection = selectFastestBackend();
  console.log(
    `backend selection: ${selection.chosen} (${selection.measurements.map((m) => `${m.backend} ${m.ms.toFixed(1)} ms`).join(", ")})` +
      (selection.skipped.length > 0 ? `; skipped: ${selection.skipped.map((s) => `${s.backend}: ${s.reason}`).join(", ")}` : ""),
  );
  const rows = await benchArith();
  console.table(rows);
  console.log("recorded selection:", JSON.stringify(getBackendSelection()));
}

const invokedDirectly =
  typeof process !== "undefined" && process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/"));
if (invokedDirectly) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
