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
import { CeremonyProgressView, type WizardProgress } from "./create-signer-progress";
import type { DkgWorkerRequest, DkgWorkerResponse, RelayedMessage } from "@/lib/signing/browser/messages";
import { asAuxPrimes, generatePrimes, primeBitsFor, PrimeGenerationCancelled } from "@/lib/signing/browser/prime-pool";
import { encryptUserShare } from "@/lib/signing/user-share-crypto";

type Details = { name: string; description: string; chainId: number };
type Created = { signer: Signer; dkg: { ceremonyId: string; sid: string; auxSid: string; profile: string; messages: RelayedMessage[] } };
type Finalized = { signer: Signer; apiKey: { id: string; prefix: string; secret: string } };

type Step =
  | { name: "details" }
  | { name: "protect"; details: Details }
  | { name: "generate"; details: Details; protector: Protector }
  | { name: "agent-share"; signer: Signer; apiKey: string; profile: string }
  | { name: "done"; signer: Signer; fileName: string };

const randomHex = (n: number) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => b.toString(16).padStart(2, "0")).join("");

function DetailsStep({ networks, initial, onNext }: { networks: Network[]; initial?: Details; onNext: (d: Details) => void }) {
  const enabled = networks.filter((n) => n.enabled);
  const [name, setName] = useState(initial?.name ?? "");
  const [description, setDescription] = useState(initial?.description ?? "");
  const [chainId, setChainId] = useState(String(initial?.chainId ?? (enabled.find((n) => n.isDevnet) ?? enabled[0])?.chainId ?? ""));
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        if (!name.trim()) return setError("Give the signer a name.");
        if (!chainId) return setError("Choose a network.");
        onNext({ name: name.trim(), description: description.trim(), chainId: Number(chainId) });
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
      <Button type="submit">Continue</Button>
    </form>
  );
}

/**
 * The key generation itself: safe primes in prime workers, then POST /signers and both client
 * parties in the DKG worker, then the user share is encrypted here and stored, and the signer is
 * finalized. The DKG worker stays alive (it holds the agent's share) until the share file is made.
 */
function GenerateStep({
  details,
  protector,
  workerRef,
  onDone,
  onCancel,
}: {
  details: Details;
  protector: Protector;
  workerRef: React.RefObject<Worker | null>;
  onDone: (r: { signer: Signer; apiKey: string; profile: string }) => void;
  onCancel: () => void;
}) {
  const [progress, setProgress] = useState<WizardProgress>({ phase: "primes", done: 0, total: 8 });
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const abortRef = useRef<AbortController | null>(null);
  const signerIdRef = useRef<string | null>(null);
  const queryClient = useQueryClient();

  useEffect(() => {
    const abort = new AbortController();
    abortRef.current = abort;
    let worker: Worker | null = null;
    const discardSigner = () => {
      const id = signerIdRef.current;
      signerIdRef.current = null;
      if (id) void api.delete(signerPath(id)).catch(() => undefined);
    };
    (async () => {
      setError(null);
      setProgress({ phase: "primes", done: 0, total: 8 });
      // The profile decides the prime size; the server announces it, so ask before generating.
      const probe = await api.post<Created>("/api/v1/signers", { name: details.name, ...(details.description ? { description: details.description } : {}), chainId: details.chainId, clientNonce: randomHex(32) });
      signerIdRef.current = probe.signer.id;
      void queryClient.invalidateQueries({ queryKey: signerKeys.all });
      if (abort.signal.aborted) return discardSigner();
      const primes = await generatePrimes({
        count: 8,
        bits: primeBitsFor(probe.dkg.profile),
        concurrency: Math.max(2, Math.min(4, navigator.hardwareConcurrency || 2)),
        makeWorker: () => new Worker(new URL("./create-signer-prime.worker.ts", import.meta.url), { type: "module" }),
        onProgress: (p) => setProgress({ phase: "primes", ...p }),
        signal: abort.signal,
      });
      // The ceremony may have been waiting while primes were generated: rejoin it for its messages.
      const { dkg } = await api.post<{ dkg: Created["dkg"] }>("/api/v1/dkg/init", { signerId: probe.signer.id });
      setProgress({ phase: "keygen", round: 1, total: 4 });
      worker = new Worker(new URL("./dkg.worker.ts", import.meta.url), { type: "module" });
      workerRef.current = worker;
      const result = await new Promise<{ publicKey: string; userShare: string }>((resolve, reject) => {
        worker!.onmessage = (ev: MessageEvent) => {
          const m = ev.data as DkgWorkerResponse;
          if (m.type === "progress") setProgress({ phase: m.protocol === "aux" ? "aux" : "keygen", round: m.round, total: 4 });
          else if (m.type === "done") resolve(m);
          else if (m.type === "error") reject(new Error(m.message));
        };
        worker!.onerror = (ev) => reject(new Error(`The key-generation worker failed: ${ev.message || "it could not start"}`));
        abort.signal.addEventListener("abort", () => reject(new PrimeGenerationCancelled()), { once: true });
        const start: DkgWorkerRequest = { type: "start", ceremony: dkg, primes: { agent: asAuxPrimes(primes, 0), user: asAuxPrimes(primes, 4) } };
        worker!.postMessage(start);
      });
      setProgress({ phase: "securing" });
      const { material, salt } = await materialFor(protector, probe.signer.id);
      const record = await encryptUserShare({ signerId: probe.signer.id, profile: dkg.profile, share: result.userShare, material, salt });
      await api.post(signerPath(probe.signer.id, "/user-share"), record);
      const finalized = await api.post<Finalized>("/api/v1/dkg/finalize", { ceremonyId: dkg.ceremonyId, publicKey: result.publicKey });
      signerIdRef.current = null;
      onDone({ signer: finalized.signer, apiKey: finalized.apiKey.secret, profile: dkg.profile });
    })().catch((err: unknown) => {
      worker?.terminate();
      workerRef.current = null;
      discardSigner();
      if (abort.signal.aborted || err instanceof PrimeGenerationCancelled) return;
      setError(describeError(err));
    });
    return () => {
      abort.abort();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one run per attempt
  }, [attempt]);

  return (
    <div className="space-y-4" data-testid="wizard-generate">
      <p className="text-sm text-fg-muted">
        Your browser runs two of the three parties — the agent&apos;s and yours — in background workers; Countersign runs the third. No
        party ever sees the whole key. Keep this tab open.
      </p>
      {error ? (
        <div role="alert" className="space-y-3 rounded-lg bg-danger-soft px-3 py-3 text-sm text-danger-soft-fg" data-testid="wizard-error">
          <p>
            <span className="font-semibold">Key generation failed.</span> {error}
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
          <CeremonyProgressView progress={progress} />
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

const stepTitles: Record<Step["name"], { title: string; description: string }> = {
  details: { title: "1. Name and network", description: "The signer is the agent's wallet on one network." },
  protect: { title: "2. Protect your share", description: "Choose how your share of the key is encrypted in this browser." },
  generate: { title: "3. Generate the key", description: "Distributed key generation between your browser and Countersign." },
  "agent-share": { title: "4. Hand the agent its share", description: "Download the agent's encrypted share file and store the API key." },
  done: { title: "5. Run your agent", description: "Use the share file with the countersign CLI or SDK." },
};

export function CreateSignerWizard({ userName }: { userName: string }) {
  const networks = useNetworks();
  const [step, setStep] = useState<Step>({ name: "details" });
  const [lastDetails, setLastDetails] = useState<Details | undefined>();
  const workerRef = useRef<Worker | null>(null);
  const queryClient = useQueryClient();

  useEffect(() => () => workerRef.current?.terminate(), []);
  // Leaving before the agent share is downloaded would lose it: ask first.
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
              onNext={(details) => {
                setLastDetails(details);
                setStep({ name: "protect", details });
              }}
            />
          )
        ) : null}
        {step.name === "protect" ? <ProtectShareStep userName={userName} onChosen={(protector) => setStep({ name: "generate", details: step.details, protector })} /> : null}
        {step.name === "generate" ? (
          <GenerateStep
            details={step.details}
            protector={step.protector}
            workerRef={workerRef}
            onCancel={() => setStep({ name: "details" })}
            onDone={(r) => {
              void queryClient.invalidateQueries({ queryKey: signerKeys.all });
              setStep({ name: "agent-share", ...r });
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
      </CardBody>
    </Card>
  );
}

function CliUsage({ signer, fileName }: { signer: Signer; fileName: string }) {
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const commands = [
    `npx countersign import ~/Downloads/${fileName}`,
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
      <p className="text-sm text-fg-muted">
        On the agent&apos;s machine, in a checkout of Countersign (the share file already names this server, {origin}):
      </p>
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
