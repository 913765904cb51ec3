"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { api } from "../api/client";
import { describeError } from "../api/errors";
import { signerKeys, signerPath, useNetworks, type Network, type Signer } from "../api/signers";
import { Button, buttonClasses } from "../ui/button";
import { Card, CardBody, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import { Select } from "../ui/select";
import { SkeletonBlock } from "../ui/skeleton";
import { ProtectShareStep, materialFor, type Protector } from "./create-signer-protect";
import { AgentShareStep } from "./create-signer-agent-share";
import { CeremonyProgressView, progressFraction, progressText, type WizardProgress } from "./create-signer-progress";
import { InvitationPanel } from "./create-signer-invitation";
import { mark, PrimeProgressPanel, primesText, usePrimeSupply, type PrimeSupplyApi } from "./create-signer-primes";
import { useKeygenReport } from "./keygen-context";
import type { DkgCeremony, DkgErrorCode, DkgWorkerRequest, DkgWorkerResponse, RelayedMessage } from "@/lib/signing/browser/messages";
import { asAuxPrimes, PRIMES_PER_PARTY, PrimeGenerationCancelled } from "@/lib/signing/browser/prime-pool";
import { encodeInvitation, invitationProfile } from "@/lib/signing/e2e";
import { deriveUserIdentitySecret, encryptUserShare } from "@/lib/signing/user-share-crypto";
import { identityPublicKey } from "@/lib/signing/message-auth";

type AgentParty = "remote" | "browser";
type Details = { name: string; description: string; chainId: number; agentParty: AgentParty };
type DkgView = Omit<DkgCeremony, "signerId"> & {
  agentParty?: AgentParty;
  invitation?: { token: string; expiresAt: string };
  agent?: { joined: boolean; agentKey: string | null; agentKeyMac: string | null; identityKey?: string | null; confirmed: boolean } | null;
  messages: RelayedMessage[];
};
type Created = { signer: Signer; dkg: DkgView };
type Finalized = { signer: Signer; apiKey: { id: string; prefix: string; secret: string } | null; agent?: { confirmed: boolean } };
type Generated = { kind: "remote"; signer: Signer } | { kind: "browser"; signer: Signer; apiKey: string; profile: string };

type Step =
  | { name: "details" }
  | { name: "protect"; details: Details }
  | { name: "generate"; details: Details; protector: Protector }
  | { name: "agent-share"; signer: Signer; apiKey: string; profile: string }
  | { name: "done"; signer: Signer; fileName: string | null };

const randomHex = (n: number) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => b.toString(16).padStart(2, "0")).join("");
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(t), reject(new PrimeGenerationCancelled())), { once: true });
  });

const primesFor = (mode: AgentParty) => (mode === "browser" ? 2 * PRIMES_PER_PARTY : PRIMES_PER_PARTY);

function DetailsStep({
  networks,
  initial,
  onModeChange,
  onNext,
}: {
  networks: Network[];
  initial?: Details;
  onModeChange: (mode: AgentParty) => void;
  onNext: (d: Details) => void;
}) {
  const enabled = networks.filter((n) => n.enabled);
  const [name, setName] = useState(initial?.name ?? "");
  const [description, setDescription] = useState(initial?.description ?? "");
  const [chainId, setChainId] = useState(String(initial?.chainId ?? (enabled.find((n) => n.isDevnet) ?? enabled[0])?.chainId ?? ""));
  const [browserHoldsAgent, setBrowserHoldsAgent] = useState(initial?.agentParty === "browser");
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        if (!name.trim()) return setError("Give the signer a name.");
        if (!chainId) return setError("Choose a network.");
        onNext({ name: name.trim(), description: description.trim(), chainId: Number(chainId), agentParty: browserHoldsAgent ? "browser" : "remote" });
      }}
    >
      <Field label="Name" hint="What the agent using this wallet is called, e.g. “Treasury bot”." error={error && !name.trim() ? error : null}>
        {(control) => <Input {...control} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label="Description (optional)">
        {(control) => <Input {...control} value={description} maxLength={500} onChange={(e) => setDescription(e.target.value)} />}
      </Field>
      <Field label="Network" error={error && !chainId ? error : null}>
        {(control) => (
          <Select
            {...control}
            value={chainId}
            onChange={(e) => setChainId(e.target.value)}
            options={enabled.map((n) => ({ value: String(n.chainId), label: `${n.name} (chain ${n.chainId})` }))}
          />
        )}
      </Field>
      <p className="text-sm text-fg-muted">
        The key is generated by three parties on three machines: your browser (your share), Countersign (its share) and the agent, which joins
        from its own machine with <code className="font-mono text-xs">npx countersign join</code> and keeps its share there. No one ever holds
        the whole key.
      </p>
      <label className="flex cursor-pointer items-start gap-3 rounded-lg border border-border px-3 py-2 hover:bg-surface-muted">
        <input
          type="checkbox"
          className="mt-0.5 size-4 accent-[var(--accent)]"
          checked={browserHoldsAgent}
          onChange={(e) => {
            setBrowserHoldsAgent(e.target.checked);
            onModeChange(e.target.checked ? "browser" : "remote");
          }}
        />
        <span className="min-w-0 text-sm">
          <span className="block font-medium text-fg">This browser will briefly hold the agent&apos;s share too</span>
          <span className="block text-xs text-fg-muted" data-testid="wizard-browser-mode-hint">
            For demos only. This browser then runs the agent&apos;s party as well and holds two of the three shares until you download the
            agent&apos;s share file: during that time this browser — and any script running in this page — could rebuild the whole key. The
            choice is recorded in the audit log. It also needs eight safe primes instead of four.
          </span>
        </span>
      </label>
      <Button type="submit">Continue</Button>
    </form>
  );
}

class WorkerFailure extends Error {
  constructor(
    message: string,
    readonly code?: DkgErrorCode,
  ) {
    super(message);
    this.name = "WorkerFailure";
  }
}

/** A DKG worker with a request/answer helper; progress and "seen" events go to `onEvent`. */
function dkgWorker(onEvent: (m: DkgWorkerResponse) => void) {
  const worker = new Worker(new URL("./dkg.worker.ts", import.meta.url), { type: "module" });
  let waiter: { type: DkgWorkerResponse["type"]; resolve: (m: DkgWorkerResponse) => void; reject: (e: Error) => void } | null = null;
  worker.onmessage = (ev: MessageEvent) => {
    const m = ev.data as DkgWorkerResponse;
    if (m.type === "progress" || m.type === "seen") return onEvent(m);
    const w = waiter;
    if (!w) return;
    waiter = null;
    if (m.type === "error") w.reject(new WorkerFailure(m.message, m.code));
    else if (m.type === w.type) w.resolve(m);
  };
  worker.onerror = (ev) => {
    const w = waiter;
    waiter = null;
    w?.reject(new Error(`The key-generation worker failed: ${ev.message || "it could not start"}`));
  };
  const ask = <T extends DkgWorkerResponse["type"]>(req: DkgWorkerRequest, type: T, signal: AbortSignal) =>
    new Promise<Extract<DkgWorkerResponse, { type: T }>>((resolve, reject) => {
      waiter = { type, resolve: resolve as (m: DkgWorkerResponse) => void, reject };
      signal.addEventListener("abort", () => reject(new PrimeGenerationCancelled()), { once: true });
      worker.postMessage(req);
    });
  return { worker, ask };
}

/**
 * The key generation. Remote mode (default): the browser prepares its ephemeral key and pin in the
 * DKG worker, creates the signer, shows the invitation, waits for the agent to join and for its own
 * four primes, checks the agent's key against the pin, runs the user's party with the agent's p2p
 * messages end-to-end encrypted, encrypts and stores the user share, confirms the public key and
 * waits for the agent's confirmation. Browser mode: both client parties here, as before.
 */
function GenerateStep({
  details,
  protector,
  primes,
  workerRef,
  onDone,
  onCancel,
}: {
  details: Details;
  protector: Protector;
  primes: PrimeSupplyApi;
  workerRef: React.RefObject<Worker | null>;
  onDone: (r: Generated) => void;
  onCancel: () => void;
}) {
  const mode = details.agentParty;
  const initialProgress: WizardProgress = { mode, phase: "creating", agentJoined: false, primesReady: false, parties: {} };
  const [progress, setProgress] = useState<WizardProgress>(initialProgress);
  const [invitation, setInvitation] = useState<{ text: string; expiresAt: string | null } | null>(null);
  const [error, setError] = useState<{ message: string; code?: DkgErrorCode } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const abortRef = useRef<AbortController | null>(null);
  const signerIdRef = useRef<string | null>(null);
  const queryClient = useQueryClient();
  const primesRef = useRef(primes);
  primesRef.current = primes;
  // The shell shows this line while the user is on another page (keygen-job.tsx).
  const report = useKeygenReport();
  const [startedAt] = useState(() => Date.now());
  const line = error ? `Key generation failed: ${error.message}` : progressText(progress);
  const fraction = progressFraction(progress);
  useEffect(() => report({ ceremony: { text: line, fraction, startedAt } }), [report, line, fraction, startedAt]);

  useEffect(() => {
    const abort = new AbortController();
    abortRef.current = abort;
    const signal = abort.signal;
    let worker: Worker | null = null;
    const update = (p: Partial<WizardProgress>) => setProgress((s) => ({ ...s, ...p }));
    const onEvent = (m: DkgWorkerResponse) => {
      if (m.type === "progress" && (m.protocol === "keygen" || m.protocol === "aux")) {
        const at = { protocol: m.protocol, round: m.round };
        setProgress((s) => ({ ...s, phase: s.phase === "keygen" || s.phase === "aux" ? m.protocol as "keygen" | "aux" : s.phase, parties: { ...s.parties, [m.party]: furthest(s.parties[m.party as 0 | 2], at) } }));
      } else if (m.type === "seen") {
        const at = { protocol: m.protocol, round: m.round };
        setProgress((s) => ({ ...s, agentJoined: s.agentJoined || m.from === 0, parties: { ...s.parties, [m.from]: furthest(s.parties[m.from as 0 | 1 | 2], at) } }));
      }
    };
    const discardSigner = () => {
      const id = signerIdRef.current;
      signerIdRef.current = null;
      if (id) void api.delete(signerPath(id)).catch(() => undefined);
    };
    (async () => {
      setError(null);
      setInvitation(null);
      setProgress(initialProgress);
      const w = dkgWorker(onEvent);
      worker = w.worker;
      workerRef.current = worker;
      const clientNonce = randomHex(32);
      // Both modes: the worker makes this ceremony's identity keys (every protocol message is signed).
      const keys = await w.ask({ type: "prepare" }, "prepared", signal);
      const prepared = mode === "remote" ? keys : null;
      const created = await api.post<Created>("/api/v1/signers", {
        name: details.name,
        ...(details.description ? { description: details.description } : {}),
        chainId: details.chainId,
        clientNonce,
        agentParty: mode,
        userIdentityKey: keys.userIdentityKey,
        ...(prepared ? { userKey: prepared.userKey } : { agentIdentityKey: keys.agentIdentityKey }),
      });
      const signerId = created.signer.id;
      signerIdRef.current = signerId;
      void queryClient.invalidateQueries({ queryKey: signerKeys.all });
      if (signal.aborted) return discardSigner();
      if (prepared) {
        if (!created.dkg.invitation) throw new Error("The server did not issue an invitation for the agent");
        const text = encodeInvitation({ baseUrl: window.location.origin, ceremonyId: created.dkg.ceremonyId, token: created.dkg.invitation.token, userKey: prepared.userKey, pin: prepared.pin, profile: invitationProfile(created.dkg.profile) });
        setInvitation({ text, expiresAt: created.dkg.invitation.expiresAt });
      }
      update({ phase: "waiting", parties: { 1: { protocol: "keygen", round: 1 } } });

      // Our primes (started when the wizard opened) and, in remote mode, the agent joining: in parallel.
      // They are taken (and deleted from the browser's store) only when the party starts.
      const primesReady = primesRef.current.whenReady(primesFor(mode), signal).then(() => update({ primesReady: true }));
      primesReady.catch(() => undefined); // awaited below; a failure surfaces there
      let agent: NonNullable<DkgView["agent"]> | null = null;
      let dkg: DkgView = created.dkg;
      if (mode === "remote") {
        for (;;) {
          ({ dkg } = await api.post<{ dkg: DkgView }>("/api/v1/dkg/init", { signerId }));
          if (dkg.agent?.joined) {
            agent = dkg.agent;
            mark("countersign:agent-joined");
            update({ agentJoined: true });
            break;
          }
          await sleep(1500, signal);
        }
      }
      await primesReady;
      if (signal.aborted) throw new PrimeGenerationCancelled();
      // Rejoin for every message addressed to us so far (the agent and the server may be rounds ahead).
      ({ dkg } = await api.post<{ dkg: DkgView }>("/api/v1/dkg/init", { signerId }));
      if (mode === "remote") agent = dkg.agent ?? agent;
      const ceremony: DkgCeremony = { ...dkg, signerId };
      const hexPrimes = await primesRef.current.take(primesFor(mode), signal);
      mark("countersign:dkg-start");
      update({ phase: "keygen" });
      const result =
        mode === "remote"
          ? await w.ask({ type: "start-remote", ceremony, clientNonce, primes: asAuxPrimes(hexPrimes), agent: { agentKey: agent?.agentKey ?? null, agentKeyMac: agent?.agentKeyMac ?? null, identityKey: agent?.identityKey ?? null } }, "done", signal)
          : await w.ask({ type: "start-browser", ceremony, clientNonce, primes: { agent: asAuxPrimes(hexPrimes, 0), user: asAuxPrimes(hexPrimes, 4) } }, "done", signal);
      mark("countersign:dkg-done");
      if (mode === "remote") {
        // Nothing of the agent's is in the worker: let it go now.
        worker.terminate();
        workerRef.current = null;
      }
      update({ phase: "securing" });
      const { material, salt } = await materialFor(protector, signerId);
      const record = await encryptUserShare({ signerId, profile: dkg.profile, share: result.userShare, material, salt });
      // The same secret derives the user's long-term identity: later sessions are certified by it.
      const identitySecret = await deriveUserIdentitySecret(material, salt, signerId);
      const identityKey = identityPublicKey(identitySecret);
      identitySecret.fill(0);
      await api.post(signerPath(signerId, "/user-share"), { ...record, identityKey });
      const finalized = await api.post<Finalized>("/api/v1/dkg/finalize", { ceremonyId: dkg.ceremonyId, publicKey: result.publicKey });
      // From here the signer is ours to keep: a failure below must not delete it.
      signerIdRef.current = null;
      if (mode === "browser") {
        if (!finalized.apiKey) throw new Error("The server returned no API key for the signer");
        return onDone({ kind: "browser", signer: finalized.signer, apiKey: finalized.apiKey.secret, profile: dkg.profile });
      }
      let signer = finalized.signer;
      if (signer.status !== "active") {
        update({ phase: "confirming" });
        for (;;) {
          ({ signer } = await api.get<{ signer: Signer }>(signerPath(signerId), signal));
          if (signer.status === "active") break;
          if (signer.status === "failed") throw new Error("The agent computed a different public key; the signer is marked failed. Create a new one.");
          await sleep(1500, signal);
        }
      }
      mark("countersign:signer-active");
      onDone({ kind: "remote", signer });
    })().catch((err: unknown) => {
      worker?.terminate();
      workerRef.current = null;
      discardSigner();
      if (signal.aborted || err instanceof PrimeGenerationCancelled) return;
      if (err instanceof DOMException && err.name === "AbortError") return;
      setError({ message: describeError(err), code: err instanceof WorkerFailure ? err.code : undefined });
    });
    return () => {
      abort.abort();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one run per attempt
  }, [attempt]);

  const remote = mode === "remote";
  return (
    <div className="space-y-4" data-testid="wizard-generate">
      <p className="text-sm text-fg-muted">
        {remote ? (
          <>
            Three parties generate the key together: this browser runs yours in a background worker, Countersign runs its own, and the agent
            runs its party on its own machine. Messages between you and the agent are end-to-end encrypted; no party ever sees the whole key.
            Keep this tab open.
          </>
        ) : (
          <>
            This browser runs two of the three parties — the agent&apos;s and yours — in background workers, and briefly holds the agent&apos;s
            share (you chose this on the first step); Countersign runs the third. Keep this tab open.
          </>
        )}
      </p>
      {error ? (
        <div role="alert" className="space-y-3 rounded-lg bg-danger-soft px-3 py-3 text-sm text-danger-soft-fg" data-testid="wizard-error">
          <p>
            <span className="font-semibold">{error.code === "agent-key-mismatch" ? "The agent's key could not be verified." : "Key generation failed."}</span> {error.message}
          </p>
          <div className="flex gap-2">
            <Button variant="secondary" onClick={() => setAttempt((a) => a + 1)}>
              Try again
            </Button>
            <Button variant="ghost" onClick={onCancel}>
              Back
            </Button>
          </div>
        </div>
      ) : (
        <>
          {invitation && !progress.agentJoined ? <InvitationPanel invitation={invitation.text} expiresAt={invitation.expiresAt} /> : null}
          {remote && progress.agentJoined ? (
            <p className="rounded-lg bg-success-soft px-3 py-2 text-sm text-success-soft-fg" data-testid="wizard-agent-joined">
              The agent has joined, and its key carries this invitation&apos;s pin.
            </p>
          ) : null}
          <CeremonyProgressView progress={progress} />
          {!progress.primesReady ? <PrimeProgressPanel supply={primes} compact /> : null}
          <Button
            variant="secondary"
            onClick={() => {
              abortRef.current?.abort();
              workerRef.current?.terminate();
              workerRef.current = null;
              onCancel();
            }}
          >
            Cancel
          </Button>
        </>
      )}
    </div>
  );
}

function furthest<T extends { protocol: "keygen" | "aux"; round: number }>(a: T | undefined, b: T): T {
  if (!a) return b;
  const rank = (x: T) => (x.protocol === "keygen" ? 0 : 10) + x.round;
  return rank(b) > rank(a) ? b : a;
}

const stepTitles: Record<Step["name"], { title: string; description: string }> = {
  details: { title: "1. Name and network", description: "The signer is the agent's wallet on one network." },
  protect: { title: "2. Protect your share", description: "Choose how your share of the key is encrypted in this browser." },
  generate: { title: "3. Generate the key", description: "Distributed key generation between your browser, your agent and Countersign." },
  "agent-share": { title: "4. Hand the agent its share", description: "Download the agent's encrypted share file and store the API key." },
  done: { title: "Done: run your agent", description: "The signer is active; the agent signs with its own share." },
};

export function CreateSignerWizard({ userName }: { userName: string }) {
  const networks = useNetworks();
  const [step, setStep] = useState<Step>({ name: "details" });
  const [lastDetails, setLastDetails] = useState<Details | undefined>();
  const workerRef = useRef<Worker | null>(null);
  const queryClient = useQueryClient();
  // Safe primes start now, before the user has typed a name.
  const primes = usePrimeSupply();
  const report = useKeygenReport();
  const snapshot = primes.state.snapshot;
  const primesDone = snapshot ? Math.min(snapshot.target, snapshot.ready + snapshot.used) : 0;
  const primesLine = snapshot ? primesText(snapshot) : null;
  const signerName = "details" in step ? step.details.name : "signer" in step ? step.signer.name : null;
  useEffect(() => {
    report({
      step: step.name,
      signerName,
      primes: snapshot && primesLine ? { done: primesDone, target: snapshot.target, startedAt: snapshot.startedAt, text: primesLine } : null,
      ...(step.name === "generate" ? {} : { ceremony: null }),
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the snapshot's figures are the dependencies
  }, [report, step.name, signerName, primesDone, snapshot?.target, snapshot?.startedAt, primesLine]);

  useEffect(() => () => workerRef.current?.terminate(), []);
  // Leaving during key generation (or before the agent share is downloaded, in browser mode) loses it: ask first.
  useEffect(() => {
    if (step.name !== "generate" && step.name !== "agent-share") return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [step.name]);

  const { title, description } = stepTitles[step.name];
  return (
    <Card className="max-w-3xl">
      <CardHeader>
        <div>
          <CardTitle>
            <span data-testid="wizard-step">{title}</span>
          </CardTitle>
          <CardDescription>{description}</CardDescription>
        </div>
      </CardHeader>
      <CardBody>
        <div className="space-y-4">
          {step.name === "details" ? (
            networks.isPending ? (
              <SkeletonBlock lines={3} label="Loading networks" />
            ) : networks.isError ? (
              <p role="alert" className="text-sm text-danger-soft-fg">
                {describeError(networks.error)}
              </p>
            ) : (
              <DetailsStep
                networks={networks.data}
                initial={lastDetails}
                onModeChange={(mode) => primes.setTarget(primesFor(mode))}
                onNext={(details) => {
                  setLastDetails(details);
                  primes.setTarget(primesFor(details.agentParty));
                  setStep({ name: "protect", details });
                }}
              />
            )
          ) : null}
          {step.name === "protect" ? (
            <ProtectShareStep
              userName={userName}
              primeStoreSalt={primes.state.storeSalt}
              onChosen={(protector) => {
                if (protector.kind === "material" && protector.primeStore) void primes.provideKey(protector.primeStore).catch(() => undefined);
                setStep({ name: "generate", details: step.details, protector });
              }}
            />
          ) : null}
          {step.name === "details" || step.name === "protect" ? <PrimeProgressPanel supply={primes} /> : null}
          {step.name === "generate" ? (
            <GenerateStep
              details={step.details}
              protector={step.protector}
              primes={primes}
              workerRef={workerRef}
              onCancel={() => setStep({ name: "details" })}
              onDone={(r) => {
                void queryClient.invalidateQueries({ queryKey: signerKeys.all });
                if (r.kind === "browser") setStep({ name: "agent-share", signer: r.signer, apiKey: r.apiKey, profile: r.profile });
                else setStep({ name: "done", signer: r.signer, fileName: null });
              }}
            />
          ) : null}
          {step.name === "agent-share" ? (
            <AgentShareStep
              signer={step.signer}
              apiKey={step.apiKey}
              profile={step.profile}
              workerRef={workerRef}
              onDownloaded={(fileName) => {
                workerRef.current?.terminate();
                workerRef.current = null;
                setStep({ name: "done", signer: step.signer, fileName });
              }}
            />
          ) : null}
          {step.name === "done" ? <CliUsage signer={step.signer} fileName={step.fileName} /> : null}
        </div>
      </CardBody>
    </Card>
  );
}

function CliUsage({ signer, fileName }: { signer: Signer; fileName: string | null }) {
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const commands = [
    ...(fileName ? [`npx countersign import ~/Downloads/${fileName}`] : []),
    "export COUNTERSIGN_SHARE_PASSPHRASE='the passphrase you chose'",
    "npx countersign status",
    "npx countersign balance",
    "npx countersign send --to 0x000000000000000000000000000000000000bEEF --value 0.1 --wait",
  ];
  return (
    <div className="space-y-4" data-testid="wizard-done">
      <p className="text-sm text-fg">
        <span className="font-semibold">{signer.name}</span> is active at <code className="font-mono text-xs break-all">{signer.address}</code>.
      </p>
      {fileName ? (
        <p className="text-sm text-fg-muted">
          On the agent&apos;s machine, in a checkout of Countersign (the share file already names this server, {origin}):
        </p>
      ) : (
        <p className="text-sm text-fg-muted" data-testid="wizard-agent-holds-share">
          The agent holds its own share: <code className="font-mono text-xs">countersign join</code> wrote it to an encrypted share file on the
          agent&apos;s machine, together with the signer&apos;s API key. Neither was ever in this browser, and Countersign cannot open the file.
          On the agent&apos;s machine:
        </p>
      )}
      <pre className="overflow-x-auto rounded-lg bg-surface-muted p-3 font-mono text-xs text-fg">{commands.join("\n")}</pre>
      <p className="text-sm text-fg-muted">
        The agent signs together with Countersign, which checks the signer&apos;s guardrails first. You can also send from the signer&apos;s
        page with your own share. The full walkthrough is in <code className="font-mono text-xs">lib/sdk/README.md</code>.
      </p>
      <Link href={`/signers/${signer.id}`} className={buttonClasses("primary")}>
        Open {signer.name}
      </Link>
    </div>
  );
}
