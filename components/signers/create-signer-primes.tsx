"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../api/client";
import { describeError } from "../api/errors";
import { Button } from "../ui/button";
import { ElapsedTime, ProgressBar } from "../ui/elapsed";
import { evaluatePrf } from "@/lib/signing/browser/passkey-prf";
import { PRIMES_PER_PARTY, PrimeSupply, type PrimeSupplySnapshot } from "@/lib/signing/browser/prime-pool";
import {
  deleteSealedPrimes,
  listSealedPrimes,
  primeStoreAvailable,
  primeStoreKey,
  primeStoreSalt,
  sealPrime,
  unsealPrimes,
  type PrimeStoreKey,
  type SealedPrimeRecord,
} from "@/lib/signing/browser/prime-store";

/** Timing marks for tools/bench-browser-keygen.ts (performance.getEntriesByType("mark")). */
export function mark(name: string): void {
  try {
    performance.mark(name);
  } catch {
    // marks are diagnostics only
  }
}

export type DkgProfileInfo = { profile: "production" | "fast-test"; primeBits: number };

/** The PRF output for the prime store, from the protect step's assertion (second PRF input). */
export type PrimeStoreMaterial = { credentialId: string; prfOutput: Uint8Array };

export type PrimeSupplyState = {
  profile: DkgProfileInfo | null;
  snapshot: PrimeSupplySnapshot | null;
  error: string | null;
  /** The store's PRF salt (null: no IndexedDB, or not read yet). */
  storeSalt: Uint8Array<ArrayBuffer> | null;
  /** Sealed primes from an earlier visit, not unlocked yet. */
  stored: SealedPrimeRecord[];
  /** Primes sealed in this browser (survive a reload) and primes held in memory waiting for the key. */
  sealed: number;
  inMemory: number;
  unlocked: boolean;
  unlocking: boolean;
};

/**
 * The wizard's safe primes, started as soon as the wizard opens: asks the server for the profile's
 * prime size (GET /api/v1/dkg/profile, no signer created), runs a PrimeSupply, seals every finished
 * prime into the browser's prime store once a passkey PRF key is known (before that the primes stay
 * in memory), and offers primes sealed on an earlier visit after unlocking.
 */
export function usePrimeSupply() {
  const supplyRef = useRef<PrimeSupply | null>(null);
  const keyRef = useRef<PrimeStoreKey | null>(null);
  const pendingRef = useRef<string[]>([]);
  /** prime hex → store record id, so a prime handed to a ceremony is deleted from the store. */
  const recordOf = useRef(new Map<string, string>());
  const targetRef = useRef(PRIMES_PER_PARTY);
  const [state, setState] = useState<PrimeSupplyState>({
    profile: null,
    snapshot: null,
    error: null,
    storeSalt: null,
    stored: [],
    sealed: 0,
    inMemory: 0,
    unlocked: false,
    unlocking: false,
  });
  const patch = useCallback((p: Partial<PrimeSupplyState>) => setState((s) => ({ ...s, ...p })), []);

  const counts = useCallback(() => patch({ sealed: recordOf.current.size, inMemory: pendingRef.current.length }), [patch]);

  const seal = useCallback(
    async (hex: string) => {
      const key = keyRef.current;
      const supply = supplyRef.current;
      if (!key || !supply) {
        pendingRef.current.push(hex);
        return counts();
      }
      try {
        recordOf.current.set(hex, await sealPrime(key, supply.bits, hex));
      } catch {
        // The store is best effort (private mode, quota): the prime stays usable in memory.
      }
      counts();
    },
    [counts],
  );

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const profile = await api.get<DkgProfileInfo>("/api/v1/dkg/profile");
      if (cancelled) return;
      let stored: SealedPrimeRecord[] = [];
      let storeSalt: Uint8Array<ArrayBuffer> | null = null;
      if (primeStoreAvailable()) {
        try {
          storeSalt = await primeStoreSalt();
          stored = await listSealedPrimes(profile.primeBits);
        } catch {
          storeSalt = null;
        }
      }
      if (cancelled) return;
      const lanes = Math.max(1, Math.min(4, typeof navigator !== "undefined" ? navigator.hardwareConcurrency || 2 : 2));
      const supply = new PrimeSupply({
        bits: profile.primeBits,
        // Sealed primes from an earlier visit will likely be unlocked at the protect step: search only for the rest.
        target: targetRef.current,
        lanes,
        makeWorker: () => new Worker(new URL("./create-signer-prime.worker.ts", import.meta.url), { type: "module" }),
        onGenerated: (hex) => void seal(hex),
      });
      supplyRef.current = supply;
      mark("countersign:primes-start");
      patch({ profile, stored, storeSalt });
      let marked = false;
      supply.subscribe((snapshot) => {
        if (!marked && snapshot.ready + snapshot.used >= snapshot.target) {
          marked = true;
          mark("countersign:primes-ready");
        }
        patch({ snapshot });
      });
    })().catch((err: unknown) => {
      if (!cancelled) patch({ error: describeError(err) });
    });
    return () => {
      cancelled = true;
      supplyRef.current?.stop();
      supplyRef.current = null;
      // Primes not sealed yet are dropped with the page; nothing was written in plaintext.
      pendingRef.current = [];
    };
  }, [patch, seal]);

  /** The protect step (or an explicit unlock) yields the store key: seal what waits, open what was stored. */
  const provideKey = useCallback(
    async (m: PrimeStoreMaterial) => {
      const salt = state.storeSalt;
      const supply = supplyRef.current;
      if (!salt || !supply) return;
      const key = await primeStoreKey({ credentialId: m.credentialId, prfOutput: m.prfOutput, salt });
      keyRef.current = key;
      const waiting = pendingRef.current.splice(0);
      for (const hex of waiting) await seal(hex);
      const records = state.stored.filter((r) => r.credentialId === key.credentialId);
      if (records.length) {
        const opened = await unsealPrimes(key, records);
        for (const o of opened) recordOf.current.set(o.prime, o.id);
        supply.addPrimes(opened.map((o) => o.prime));
        patch({ stored: state.stored.filter((r) => r.credentialId !== key.credentialId) });
      }
      patch({ unlocked: true });
      counts();
    },
    [state.storeSalt, state.stored, seal, patch, counts],
  );

  /** "Reuse the saved primes": one passkey assertion on the store's salt, for the passkey that sealed them. */
  const unlockStored = useCallback(async () => {
    const salt = state.storeSalt;
    const first = state.stored[0];
    if (!salt || !first) return;
    patch({ unlocking: true, error: null });
    try {
      const { credentialId, prfOutput } = await evaluatePrf({ salt, credentialId: first.credentialId });
      await provideKey({ credentialId, prfOutput });
    } catch (err) {
      patch({ error: `The saved primes could not be unlocked: ${describeError(err)}` });
    } finally {
      patch({ unlocking: false });
    }
  }, [state.storeSalt, state.stored, patch, provideKey]);

  const discardStored = useCallback(async () => {
    await deleteSealedPrimes(state.stored.map((r) => r.id)).catch(() => undefined);
    patch({ stored: [] });
  }, [state.stored, patch]);

  /** 4 primes for the user's party, 8 when the browser also runs the agent's (opt-in browser mode). */
  const setTarget = useCallback((n: number) => {
    targetRef.current = n;
    supplyRef.current?.setTarget(n);
  }, []);

  const supplyNow = useCallback(
    async (signal?: AbortSignal): Promise<PrimeSupply> => {
      // The profile request may still be on its way when key generation starts.
      for (let i = 0; !supplyRef.current && i < 600 && !signal?.aborted; i++) await new Promise((r) => setTimeout(r, 100));
      const supply = supplyRef.current;
      if (!supply) throw new Error(state.error ?? "Safe prime generation has not started");
      return supply;
    },
    [state.error],
  );

  /** Resolves once `n` primes are ready; they stay in the supply (and sealed in the store) until taken. */
  const whenReady = useCallback(async (n: number, signal?: AbortSignal) => (await supplyNow(signal)).whenReady(n, signal), [supplyNow]);

  /** Waits for `n` primes, removes them from the supply and from the store (a prime serves one key). */
  const take = useCallback(
    async (n: number, signal?: AbortSignal): Promise<string[]> => {
      const supply = await supplyNow(signal);
      const primes = await supply.take(n, signal);
      const ids = primes.map((p) => recordOf.current.get(p)).filter((id): id is string => !!id);
      for (const p of primes) recordOf.current.delete(p);
      pendingRef.current = pendingRef.current.filter((p) => !primes.includes(p));
      await deleteSealedPrimes(ids).catch(() => undefined);
      counts();
      return primes;
    },
    [supplyNow, counts],
  );

  return { state, provideKey, unlockStored, discardStored, setTarget, whenReady, take };
}

export type PrimeSupplyApi = ReturnType<typeof usePrimeSupply>;

function seconds(s: number): string {
  if (s < 60) return `${Math.max(1, Math.round(s))} s`;
  const m = Math.floor(s / 60);
  const r = Math.round(s % 60);
  return r ? `${m} min ${r} s` : `${m} min`;
}

/** Primes still needed that no worker is searching for yet (shown as queued rows). */
function queued(s: PrimeSupplySnapshot): number {
  if (s.failed) return 0;
  const searching = s.slots.filter((x) => x.state === "searching").length;
  return Math.max(0, s.target - s.ready - s.used - searching);
}

export function primesText(s: PrimeSupplySnapshot): string {
  const done = Math.min(s.target, s.ready + s.used);
  if (s.failed) return `Generating safe primes failed: ${s.failed}`;
  if (done >= s.target) return `Safe primes ready: ${s.target} of ${s.target}`;
  const eta = s.etaSeconds === null ? "estimating the time left" : `about ${seconds(s.etaSeconds)} left`;
  return `Generating safe primes: ${done} of ${s.target}, ${eta}`;
}

/**
 * Progress of the background prime search: one line per prime (searching with the candidates tried,
 * or found), an estimate of the time left, and where the finished primes are kept.
 */
export function PrimeProgressPanel({ supply, compact = false }: { supply: PrimeSupplyApi; compact?: boolean }) {
  const { state, unlockStored, discardStored } = supply;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const s = state.snapshot;
  return (
    <div className="space-y-2 rounded-lg border border-border p-3" data-testid="wizard-primes">
      {state.error ? (
        <p role="alert" className="text-sm text-danger-soft-fg">
          {state.error}
        </p>
      ) : null}
      {!s ? (
        <p className="text-sm text-fg-muted">Preparing safe prime generation…</p>
      ) : (
        <>
          <p className="text-sm font-medium text-fg" role="status" aria-live="polite" data-testid="wizard-primes-status">
            {primesText(s)}
          </p>
          <ProgressBar value={Math.min(s.target, s.ready + s.used)} max={s.target} label="Safe primes found" testId="wizard-primes-bar" />
          {Math.min(s.target, s.ready + s.used) < s.target && !s.failed ? (
            <p className="text-xs text-fg-muted">
              <ElapsedTime since={s.startedAt} label="Searching for" testId="wizard-primes-elapsed" />
            </p>
          ) : null}
          {!compact ? (
            <p className="text-xs text-fg-muted">
              Your party needs {s.target} safe primes of {s.bits} bits (its Paillier and ring-Pedersen keys). They are generated in background
              workers while you fill in the form; each one is a random search, so the estimate moves.
            </p>
          ) : null}
          <ul className="space-y-1 text-xs text-fg-muted" aria-label="Safe primes" data-testid="wizard-prime-list">
            {s.slots.map((slot) => (
              <li key={slot.n} className="flex justify-between gap-3 font-mono" data-testid="wizard-prime">
                <span>Prime {slot.n}</span>
                <span>
                  {slot.state === "found"
                    ? slot.source === "stored"
                      ? "reused from this browser"
                      : `found in ${seconds(((slot.foundAt ?? now) - slot.startedAt) / 1000)}`
                    : `searching ${seconds((now - slot.startedAt) / 1000)}, ${slot.candidates.toLocaleString("en")} candidates tried, ${slot.tested.toLocaleString("en")} tested`}
                </span>
              </li>
            ))}
            {Array.from({ length: queued(s) }, (_, i) => (
              <li key={`queued-${i}`} className="flex justify-between gap-3 font-mono" data-testid="wizard-prime">
                <span>Prime {s.slots.length + i + 1}</span>
                <span>queued: starts when a worker is free</span>
              </li>
            ))}
          </ul>
          {state.sealed + state.inMemory > 0 ? (
            <p className="text-xs text-fg-muted" data-testid="wizard-primes-custody">
              {state.sealed > 0 ? `${state.sealed} sealed in this browser under your passkey (they survive a reload). ` : ""}
              {state.inMemory > 0 ? `${state.inMemory} held in memory only, never written in plaintext: protecting your share with a passkey seals them in this browser.` : ""}
            </p>
          ) : null}
        </>
      )}
      {state.stored.length > 0 && !state.unlocked ? (
        <div className="space-y-2 rounded-md bg-surface-muted p-2 text-xs text-fg" data-testid="wizard-stored-primes">
          <p>
            {state.stored.length} safe prime{state.stored.length === 1 ? "" : "s"} from an earlier visit {state.stored.length === 1 ? "is" : "are"} saved
            in this browser, sealed under your passkey. Unlock them to skip part of the search (or they are unlocked when you protect your share
            with the same passkey).
          </p>
          <div className="flex gap-2">
            <Button size="sm" variant="secondary" onClick={() => void unlockStored()} loading={state.unlocking}>
              Unlock and reuse saved primes
            </Button>
            <Button size="sm" variant="ghost" onClick={() => void discardStored()} disabled={state.unlocking}>
              Discard them
            </Button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
