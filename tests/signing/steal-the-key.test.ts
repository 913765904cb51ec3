import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { recoverMessageAddress } from "viem";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { db } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/config/env";
import { configuredNetworks, syncNetworks } from "@/lib/chain/network-registry";
import { FAST_TEST, type KeyShare } from "@/lib/mpc";
import { CountersignAgent } from "@/lib/sdk/agent";
import { useTestDatabase } from "../helpers/db";
import { makeUser } from "../helpers/http";
import { appFetch } from "../helpers/app-fetch";
import { createSignerViaDkg } from "../helpers/signer";

/**
 * Issue #10, "a test that tries to steal the key": a real key generation (three parties, fast-test
 * profile) and a signing session through the HTTP API, then every row of every table and every log
 * line written during the run is decoded every way we can think of and searched for secp256k1
 * scalars that rebuild a share. It must find nothing. The same detector, run over the plaintext
 * protocol messages the clients exchanged with the server, must find the Feldman shares and rebuild
 * the server's share — so an empty result means the rows hold nothing, not that the detector is blind.
 */

// Positive control: every protocol message that crosses the server's ceremony boundary in plaintext
// (what clients submit, what they are handed back), captured around lib/signing/ceremonies.
const wire = vi.hoisted(() => ({ messages: [] as unknown[] }));
vi.mock("@/lib/signing/ceremonies", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/signing/ceremonies")>();
  type View = { messages: { message: unknown }[] };
  return {
    ...real,
    submit: async (...args: Parameters<typeof real.submit>) => {
      wire.messages.push(...args[1].messages);
      const view = await real.submit(...args);
      wire.messages.push(...(view as View).messages.map((m) => m.message));
      return view;
    },
    poll: async (...args: Parameters<typeof real.poll>) => {
      const view = await real.poll(...args);
      wire.messages.push(...(view as View).messages.map((m) => m.message));
      return view;
    },
    messagesFor: async (...args: Parameters<typeof real.messagesFor>) => {
      const rows = await real.messagesFor(...args);
      wire.messages.push(...rows.map((m) => m.message));
      return rows;
    },
  };
});

// Each party's Feldman polynomial as it starts key generation (all three run in this process): the
// discrete logs of the detector's targets.
const polys = vi.hoisted(() => new Map<number, bigint[]>());
vi.mock("@/lib/mpc", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/mpc")>();
  return {
    ...real,
    startKeygen: (...args: Parameters<typeof real.startKeygen>) => {
      const r = real.startKeygen(...args);
      polys.set(r.state.self, r.state.secret.coeffs.map((c) => BigInt(`0x${c}`)));
      return r;
    },
  };
});

useTestDatabase();

// ------------------------------------------------------------------------------------------------
// The detector
// ------------------------------------------------------------------------------------------------
//
// What an attacker holding the dump would do: decode everything into candidate scalars c and test
// c·G against the public points — each party's share X_i, the key Y, the Lagrange-weighted shares
// λ·X_i, every Feldman coefficient commitment F_j[k] and evaluation F_j(I(m)) (the point of σ_{j→m}) —
// then rebuild shares from what matched. Scalar multiplication costs ~0.1 ms here and the dump holds
// millions of windows, so the test first learns the discrete log of every target (all three parties
// run in this process; `startKeygen` is wrapped to record each party's polynomial) and checks each
// against its public point. Then c·G = ±T exactly when c ≡ ±log T: one reduction and one lookup per
// window. Every hit is confirmed with a real c·G.

const Point = secp256k1.Point;
type Pt = InstanceType<typeof Point>;
const G = Point.BASE;
const N = Point.Fn.ORDER;
const mod = (a: bigint) => ((a % N) + N) % N;
const inv = (a: bigint) => Point.Fn.inv(mod(a));
const I = (party: number) => BigInt(party + 1); // the Shamir point of a party (keygen's I(j) = j + 1)
const PARTIES = [0, 1, 2];

/** λ_i of party i in the signing pair {i, j}: λ_i·x_i + λ_j·x_j = y. */
const lambda = (i: number, j: number) => mod(I(j) * inv(I(j) - I(i)));
const evalPoly = (coeffs: bigint[], at: bigint) => coeffs.reduceRight((acc, c) => mod(acc * at + c), 0n);

type Target = { label: string; point: Pt; log: bigint };
type Targets = {
  /** log (and −log) → target. */
  byLog: Map<bigint, Target[]>;
  X: Pt[];
  y: bigint;
  x: bigint[];
};

function evalCommitment(F: Pt[], at: bigint): Pt {
  let acc = Point.ZERO;
  for (let k = F.length - 1; k >= 0; k--) acc = (acc.is0() ? acc : acc.multiply(at)).add(F[k]!);
  return acc;
}

/**
 * The public targets, each with its discrete log: the logs come from the recorded polynomials and
 * are checked against the public points (key, shares from signer_shares.public, commitments from the
 * stored keygen broadcasts), so a wrong recording fails here rather than blinding the detector.
 */
function buildTargets(input: { publicKey: string; publicShares: string[]; F: Pt[][]; polys: Map<number, bigint[]>; agentShare: KeyShare; userShare: KeyShare }): Targets {
  const Y = Point.fromHex(input.publicKey);
  const X = input.publicShares.map((h) => Point.fromHex(h));
  const byLog = new Map<bigint, Target[]>();
  const add = (label: string, point: Pt, log: bigint) => {
    expect(G.multiply(log).equals(point), `log of ${label}`).toBe(true);
    for (const l of [log, mod(-log)]) byLog.set(l, [...(byLog.get(l) ?? []), { label, point, log }]);
  };
  const f = PARTIES.map((j) => input.polys.get(j)!);
  const x = PARTIES.map((m) => mod(f.reduce((acc, fj) => acc + evalPoly(fj, I(m)), 0n)));
  const y = mod(f.reduce((acc, fj) => acc + fj[0]!, 0n));
  expect(x[0]).toBe(BigInt(`0x${input.agentShare.core.secretShare}`));
  expect(x[2]).toBe(BigInt(`0x${input.userShare.core.secretShare}`));
  add("key y", Y, y);
  X.forEach((P, i) => add(`share x${i}`, P, x[i]!));
  for (const i of PARTIES) for (const j of PARTIES) if (i !== j) add(`weighted share λ·x${i} (signers ${i},${j})`, X[i]!.multiply(lambda(i, j)), mod(lambda(i, j) * x[i]!));
  input.F.forEach((Fj, j) => {
    Fj.forEach((C, k) => add(`coefficient a${j},${k}`, C, f[j]![k]!));
    for (const m of PARTIES) add(`feldman σ${j}→${m}`, evalCommitment(Fj, I(m)), evalPoly(f[j]!, I(m)));
  });
  return { byLog, X, y, x };
}

type Report = {
  bytes: number;
  windows: number;
  scalars: number;
  /** Candidates c with c·G = ±T for a target T. */
  hits: { label: string; scalar: bigint; where: string }[];
  /** Shares rebuilt: directly, from Feldman shares (interpolation), or as a sum of two candidates. */
  shares: Map<number, string>;
  /** The key: directly, or by Lagrange over two candidates. */
  key: string | null;
};

class Detector {
  private seenStrings = new Set<string>();
  private seenBlobs = new Set<string>();
  private all = new Set<bigint>();
  private report: Report = { bytes: 0, windows: 0, scalars: 0, hits: [], shares: new Map(), key: null };

  constructor(private readonly t: Targets) {}

  add(value: unknown, where: string, depth = 0): void {
    if (depth > 12 || value === null || value === undefined || typeof value === "boolean") return;
    if (typeof value === "number") {
      if (Number.isSafeInteger(value) && value > 0) this.candidate(BigInt(value), where);
      return;
    }
    if (typeof value === "bigint") return this.candidate(value, where);
    if (typeof value === "string") return this.string(value, where, depth);
    if (value instanceof Uint8Array) return this.bytes(value, where, depth);
    if (Array.isArray(value)) return value.forEach((v, i) => this.add(v, `${where}[${i}]`, depth + 1));
    if (typeof value === "object") for (const [k, v] of Object.entries(value)) this.add(v, `${where}.${k}`, depth + 1);
  }

  private candidate(v: bigint, where: string, offset = 0) {
    const c = v < N ? v : v % N;
    if (c === 0n) return;
    this.all.add(c);
    const targets = this.t.byLog.get(c);
    if (!targets) return;
    for (const target of targets) {
      const P = G.multiply(c);
      expect(P.equals(target.point) || P.negate().equals(target.point)).toBe(true); // c·G = ±T, for real
      this.report.hits.push({ label: target.label, scalar: target.log, where: offset ? `${where}@${offset}` : where });
    }
  }

  /** Every decoding of a string: JSON, decimal, hex (0x, \x or bare), base64 and base64url, and any long hex/base64 run inside free text. */
  private string(s: string, where: string, depth: number) {
    const t = s.trim();
    if (t.length < 1 || this.seenStrings.has(t)) return;
    this.seenStrings.add(t);
    if (/^[[{"]/.test(t)) {
      try {
        return this.add(JSON.parse(t), `${where}<json>`, depth + 1);
      } catch {
        // not JSON; other decodings below
      }
    }
    if (t.includes("\n")) return t.split("\n").forEach((line, i) => this.string(line, `${where}:${i}`, depth + 1));
    if (/^\d+$/.test(t)) {
      const v = BigInt(t);
      if (v < 1n << 256n) this.candidate(v, `${where}<dec>`);
      else this.bytes(hexBytes(v.toString(16)), `${where}<dec>`, depth + 1);
    }
    const h = t.replace(/^(0x|\\x)/i, "");
    if (/^[0-9a-f]+$/i.test(h)) {
      this.bytes(hexBytes(h), `${where}<hex>`, depth + 1);
      // A hex string of odd length may hold a scalar at either nibble alignment.
      if (h.length % 2 && h.length > 64) this.bytes(hexBytes(`${h}0`), `${where}<hex+>`, depth + 1);
      return;
    }
    if (t.length >= 8 && /^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) {
      this.bytes(new Uint8Array(Buffer.from(t, /[-_]/.test(t) ? "base64url" : "base64")), `${where}<b64>`, depth + 1);
      return;
    }
    for (const m of t.matchAll(/(?:0x)?[0-9a-fA-F]{16,}|[A-Za-z0-9+/_-]{16,}={0,2}/g)) if (m[0] !== t) this.string(m[0], `${where}<run>`, depth + 1);
  }

  /** A decoded blob: shorter than 32 bytes, its value; else every 32-byte window at every byte offset. */
  private bytes(b: Uint8Array, where: string, depth: number) {
    if (b.length === 0) return;
    const key = Buffer.from(b).toString("base64");
    if (this.seenBlobs.has(key)) return;
    this.seenBlobs.add(key);
    this.report.bytes += b.length;
    if (b.length < 32) return this.candidate(BigInt(`0x${Buffer.from(b).toString("hex")}`), where);
    const MASK = (1n << 256n) - 1n;
    let c = BigInt(`0x${Buffer.from(b.subarray(0, 32)).toString("hex")}`);
    for (let k = 0; ; k++) {
      this.report.windows++;
      this.candidate(c, where, k);
      if (k + 32 >= b.length) break;
      c = ((c << 8n) & MASK) | BigInt(b[k + 32]!);
    }
    // Text inside (base64 of JSON, say) is decoded again.
    const text = Buffer.from(b).toString("utf8");
    if (/^[\x20-\x7e\s]+$/.test(text)) this.string(text, `${where}<utf8>`, depth + 1);
  }

  run(): Report {
    const report = this.report;
    report.scalars = this.all.size;
    for (const h of report.hits) {
      const share = /^share x(\d)$/.exec(h.label) ?? /^weighted share λ·x(\d) /.exec(h.label);
      if (share) report.shares.set(Number(share[1]), `${h.label} at ${h.where}`);
      if (h.label === "key y") report.key = `found at ${h.where}`;
    }
    // Feldman: two evaluations of party j's polynomial give all of them (t = 2); f_0, f_1, f_2 at I(m) sum to x_m.
    const evals = new Map<number, Map<number, bigint>>();
    for (const h of report.hits) {
      const s = /^feldman σ(\d)→(\d)$/.exec(h.label) ?? /^coefficient a(\d),(\d)$/.exec(h.label);
      if (!s) continue;
      const at = h.label.startsWith("feldman") ? I(Number(s[2])) : Number(s[2]) === 0 ? 0n : -1n; // a_{j,0} = f_j(0)
      if (at >= 0n) evals.set(Number(s[1]), (evals.get(Number(s[1])) ?? new Map()).set(at, h.scalar));
    }
    const f = (j: number, at: bigint): bigint | null => {
      const known = [...(evals.get(j) ?? new Map<bigint, bigint>())];
      if (known.some(([p]) => p === at)) return known.find(([p]) => p === at)![1];
      if (known.length < 2) return null;
      const [[p1, v1], [p2, v2]] = known as [[bigint, bigint], [bigint, bigint]];
      return mod(v1 + (v2 - v1) * inv(p2 - p1) * (at - p1));
    };
    for (const m of PARTIES) {
      const parts = PARTIES.map((j) => f(j, I(m)));
      if (parts.every((p) => p !== null)) {
        const xm = mod(parts.reduce((a, b) => a! + b!, 0n)!);
        if (G.multiply(xm).equals(this.t.X[m]!)) report.shares.set(m, "rebuilt from Feldman shares");
      }
    }
    // Lagrange over any two candidates against the key: λ_i·c + λ_j·c' = y, i.e. (multiplying by
    // I(j) − I(i)) c' = (I(j)·c − (I(j) − I(i))·y) / I(i) — small multipliers, so cheap per candidate.
    // c runs over every candidate, so one order per pair {i, j} suffices. And sums of two candidates against a share.
    const red = (v: bigint) => {
      while (v >= N) v -= N;
      while (v < 0n) v += N;
      return v;
    };
    const half = (v: bigint) => (v & 1n ? (v + N) >> 1n : v >> 1n);
    const pairs = PARTIES.flatMap((i) => PARTIES.filter((j) => j > i).map((j) => ({ i, j, Ii: I(i), Ij: I(j), D: mod((I(j) - I(i)) * this.t.y) })));
    for (const p of pairs) expect(p.Ii === 1n || p.Ii === 2n).toBe(true);
    for (const c of this.all) {
      for (const i of PARTIES) {
        const rest = this.t.x[i]! >= c ? this.t.x[i]! - c : this.t.x[i]! + N - c;
        if (rest !== 0n && this.all.has(rest)) report.shares.set(i, `sum of two candidates (${c.toString(16).slice(0, 8)}…)`);
      }
      for (const p of pairs) {
        const num = red(p.Ij * c - p.D);
        if (this.all.has(p.Ii === 1n ? num : half(num))) report.key = `Lagrange over two candidates as shares of ${p.i},${p.j} (${c.toString(16).slice(0, 8)}…)`;
      }
    }
    return report;
  }
}

function hexBytes(h: string): Uint8Array {
  return new Uint8Array(Buffer.from(h.length % 2 ? `0${h}` : h, "hex"));
}

/** Feldman commitments F_j of each party's polynomial, from key-generation decommit broadcasts. */
function commitmentsFrom(messages: unknown[]): Pt[][] {
  const F: Pt[][] = [];
  for (const m of messages as { protocol?: string; to?: unknown; from?: number; payload?: { F?: string[] } }[]) {
    if (m?.protocol === "keygen" && m.to === "all" && Array.isArray(m.payload?.F) && typeof m.from === "number") F[m.from] = m.payload!.F!.map((h) => Point.fromHex(h));
  }
  return F;
}

// ------------------------------------------------------------------------------------------------
// The run
// ------------------------------------------------------------------------------------------------

const logs: string[] = [];
let created: Awaited<ReturnType<typeof createSignerViaDkg>>;
let dumpRows: { table: string; rows: string[] }[] = [];
let targets: Targets;

async function dumpEveryTable() {
  const tables = await db().$queryRaw<{ table_name: string }[]>`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`;
  const out: { table: string; rows: string[] }[] = [];
  for (const { table_name } of tables) {
    const rows = await db().$queryRawUnsafe<{ row: string }[]>(`SELECT row_to_json(t)::text AS "row" FROM "${table_name.replace(/"/g, '""')}" t`);
    out.push({ table: table_name, rows: rows.map((r) => r.row) });
  }
  return out;
}

beforeAll(async () => {
  process.env.LOG_LEVEL = "debug";
  resetEnvCache();
  const stdout = process.stdout.write.bind(process.stdout);
  const stderr = process.stderr.write.bind(process.stderr);
  const capture = (chunk: unknown) => {
    logs.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  const consoleMethods = ["log", "info", "warn", "error", "debug"] as const;
  const originalConsole = consoleMethods.map((m) => console[m]);
  for (const m of consoleMethods) console[m] = (...args: unknown[]) => void logs.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a, (_k, v) => (typeof v === "bigint" ? v.toString() : v)))).join(" ") + "\n");
  try {
    await syncNetworks(db(), configuredNetworks({}));
    const owner = await makeUser();
    created = await createSignerViaDkg(owner.cookie);
    const agent = new CountersignAgent({ baseUrl: "http://localhost:3000", apiKey: created.apiKey, share: created.agentShare, identity: created.agentIdentity, profile: FAST_TEST, fetch: appFetch });
    const signed = await agent.signMessage("steal this key if you can");
    expect(await recoverMessageAddress({ message: "steal this key if you can", signature: signed.signature })).toBe(created.signer.address);
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
    consoleMethods.forEach((m, i) => (console[m] = originalConsole[i]!));
    process.env.LOG_LEVEL = "silent";
    resetEnvCache();
  }
  dumpRows = await dumpEveryTable();
  const share = await db().signerShare.findUniqueOrThrow({ where: { signerId: created.signer.id } });
  const pub = share.public as { publicKey: string; publicShares: string[] };
  expect(pub.publicKey).toBe(created.agentShare.core.publicKey);
  expect(pub.publicShares).toEqual(created.agentShare.core.publicShares);
  // The commitments are public (broadcast, stored in plaintext); all three polynomials must be there.
  const stored = dumpRows.find((t) => t.table === "ceremony_messages")!.rows.map((r) => (JSON.parse(r) as { body: unknown }).body);
  const F = commitmentsFrom(stored);
  expect(PARTIES.every((j) => F[j]?.length === 2)).toBe(true);
  expect([...polys.keys()].sort()).toEqual(PARTIES);
  targets = buildTargets({ publicKey: pub.publicKey, publicShares: pub.publicShares, F, polys, agentShare: created.agentShare, userShare: created.userShare });
}, 900_000);

afterAll(() => {
  process.env.LOG_LEVEL = "silent";
  resetEnvCache();
});

describe("stealing the key", () => {
  it("positive control: from the plaintext messages the clients exchanged with the server, the detector finds Feldman shares and rebuilds the server's share", () => {
    expect(wire.messages.length).toBeGreaterThan(10);
    const d = new Detector(targets);
    d.add(wire.messages, "wire");
    const r = d.run();
    const sigmas = r.hits.filter((h) => h.label.startsWith("feldman")).map((h) => h.label);
    for (const s of ["feldman σ0→1", "feldman σ2→1", "feldman σ1→0", "feldman σ1→2"]) expect(sigmas).toContain(s);
    expect(r.shares.get(1)).toBe("rebuilt from Feldman shares");
  });

  it("positive control: a share, a weighted share, a Feldman share or a split of the key hidden in a row is found", () => {
    const x1 = targets.x[1]!.toString(16).padStart(64, "0");
    const r = mod(BigInt(`0x${"5a".repeat(31)}`) * 7919n);
    const planted = [
      { note: `server share ${x1}` },
      { blob: Buffer.from(`xx${Buffer.from(x1, "hex").toString("binary")}yy`, "binary").toString("base64") },
      { n: targets.x[0]!.toString(10) },
      { y1: mod(lambda(0, 2) * targets.x[0]!).toString(16) },
      // Two points of another line through the key: Lagrange over the pair gives y.
      { a: r.toString(16), b: mod((targets.y - lambda(0, 2) * r) * inv(lambda(2, 0))).toString(16) },
      // An additive split of a share.
      { u: r.toString(10), v: `0x${mod(targets.x[2]! - r).toString(16)}` },
    ];
    const hits = planted.map((p) => {
      const d = new Detector(targets);
      d.add(p, "planted");
      const r = d.run();
      return { shares: [...r.shares.keys()], key: r.key };
    });
    expect(hits[0]!.shares).toContain(1);
    expect(hits[1]!.shares).toContain(1);
    expect(hits[2]!.shares).toContain(0);
    expect(hits[3]!.shares).toContain(0);
    expect(hits[4]!.key).toBeTruthy();
    expect(hits[5]!.shares).toContain(2);
  });

  it("finds no share, no Feldman share, no coefficient and no key in any row of any table", () => {
    const d = new Detector(targets);
    let rows = 0;
    for (const t of dumpRows) for (const [i, row] of t.rows.entries()) {
      rows++;
      d.add(row, `${t.table}#${i}`);
    }
    const r = d.run();
    expect(rows).toBeGreaterThan(20);
    // The dump is taken while the sealed rows still exist (within the grace period): sealing is what is tested here.
    const sealedP2p = dumpRows.find((t) => t.table === "ceremony_messages")!.rows.filter((row) => (JSON.parse(row) as { to_party: number | null }).to_party !== null);
    expect(sealedP2p.length).toBeGreaterThan(0);
    expect(dumpRows.find((t) => t.table === "ceremony_submissions")!.rows.length).toBeGreaterThan(0);
    expect(r.windows).toBeGreaterThan(1000);
    expect(r.hits.map((h) => `${h.label} at ${h.where}`)).toEqual([]);
    expect([...r.shares]).toEqual([]);
    expect(r.key).toBeNull();
    // The clients' Paillier primes are not there either.
    const text = dumpRows.flatMap((t) => t.rows).join("\n").toLowerCase();
    for (const s of [created.agentShare, created.userShare]) for (const p of [s.aux.p, s.aux.q]) expect(text).not.toContain(String(p).toLowerCase());
  });

  it("after the grace period the sweep leaves no point-to-point message and no submission of the run", async () => {
    const { sweepCeremonies } = await import("@/lib/signing/ceremony-sweep");
    const { ENDED_CEREMONY_GRACE_MS } = await import("@/lib/signing/ceremonies");
    const r = await sweepCeremonies(db(), new Date(Date.now() + ENDED_CEREMONY_GRACE_MS + 60_000));
    expect(r.wiped.length).toBe(await db().ceremony.count());
    expect(await db().ceremonyMessage.count({ where: { toParty: { not: null } } })).toBe(0);
    expect(await db().ceremonySubmission.count()).toBe(0);
    expect(await db().$queryRaw`SELECT "id" FROM "ceremonies" WHERE "server_state" IS NOT NULL`).toEqual([]);
  });

  it("finds nothing in the logs written during the run", () => {
    const text = logs.join("");
    expect(text).toContain('"msg":"request"');
    const d = new Detector(targets);
    d.add(text, "logs");
    const r = d.run();
    expect(r.hits.map((h) => `${h.label} at ${h.where}`)).toEqual([]);
    expect([...r.shares]).toEqual([]);
    expect(r.key).toBeNull();
  });
});
