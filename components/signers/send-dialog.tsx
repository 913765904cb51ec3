"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { createPublicClient, http, type Hex } from "viem";
import { ApiError } from "../api/errors";
import { auditLogPrefix, signerKeys, signerPath, type Network, type Signer } from "../api/signers";
import { AlertIcon, CheckCircleIcon } from "../icons";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import { Spinner } from "../ui/spinner";
import { validateSimulation, type SimulationForm, type SimulationFormErrors } from "./signer-format";
import { fetchUserShare, schemeOf, unlockUserShare, type StoredUserShare } from "./send-unlock";
import { SendReview } from "./send-review";
import type { RelayedMessage, SignWorkerRequest, SignWorkerResponse } from "@/lib/signing/browser/messages";
import { PrfUnavailableError } from "@/lib/signing/browser/passkey-prf";
import { HttpCallError, postJson } from "@/lib/signing/browser/transport";
import type { TxJson } from "@/lib/signing/transaction-json";
import { newIdentityKey } from "@/lib/signing/message-auth";
import { PARTY_INDEX } from "@/lib/signing/participants";
import { TamperedSessionError, verifySigningSession, type SigningIntent, type VerifiedSession } from "@/lib/signing/verify-session";

type Violation = { type?: string; message: string };
type SessionView = {
  sessionId: string;
  identities?: Record<string, string>;
  sid: string;
  messageHash: string;
  serverNonce?: string;
  clientNonce?: string;
  signers: number[];
  party?: number;
  transaction: TxJson | null;
  messages: RelayedMessage[];
  status?: string;
  approvals?: string[];
};
type StatusView = SessionView & { status: string; approvals: string[] };

/** A session the browser has checked: what it will sign, recomputed here from what the user entered. */
type Prepared = {
  session: SessionView;
  intent: SigningIntent;
  clientNonce: string;
  /** This session's identity (authenticated blame): the worker signs every protocol message with it. */
  identity: { secretKey: Uint8Array; publicKey: string };
  verified: VerifiedSession & { transaction: NonNullable<VerifiedSession["transaction"]> };
};

type Phase =
  | { name: "form" }
  | { name: "session" }
  | { name: "approval"; reasons: string[] }
  | { name: "review" }
  | { name: "unlock" }
  | { name: "signing"; round: number }
  | { name: "broadcast" }
  | { name: "pending"; txHash: string }
  | { name: "mined"; txHash: string; blockNumber: string; success: boolean }
  | { name: "refused"; message: string; violations: Violation[] }
  /** The server's session does not match what this browser computed: nothing was unlocked or signed. */
  | { name: "tampered"; message: string }
  | { name: "error"; message: string };

const randomHex = (n: number) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => b.toString(16).padStart(2, "0")).join("");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function errorText(err: unknown): string {
  if (err instanceof PrfUnavailableError) return err.message;
  if (err instanceof DOMException && err.name === "NotAllowedError") return "The passkey prompt was dismissed or timed out.";
  if (err instanceof ApiError && err.statusCode === 404) return "No encrypted user share is stored for this signer (it was not created in the dashboard wizard), so it cannot send from the browser.";
  if (err instanceof Error) return err.message;
  return String(err);
}

function txUrl(network: Network | undefined, hash: string): string | null {
  return network?.explorerUrl ? `${network.explorerUrl.replace(/\/+$/, "")}/tx/${hash}` : null;
}

export function SendDialog({ signer, network, open, onClose }: { signer: Signer; network: Network | undefined; open: boolean; onClose: () => void }) {
  const [form, setForm] = useState<SimulationForm>({ to: "", value: "", data: "" });
  const [errors, setErrors] = useState<SimulationFormErrors>({});
  const [phase, setPhase] = useState<Phase>({ name: "form" });
  const [record, setRecord] = useState<StoredUserShare | null>(null);
  const [passphrase, setPassphrase] = useState("");
  const [prepared, setPrepared] = useState<Prepared | null>(null);
  const workerRef = useRef<Worker | null>(null);
  const cancelled = useRef(false);
  const queryClient = useQueryClient();
  const symbol = network?.nativeCurrency.symbol ?? "ETH";

  useEffect(() => {
    if (!open) return;
    cancelled.current = false;
    fetchUserShare(signer.id).then((r) => {
      setRecord(r);
      // While the dialog is open, the signing worker precomputes this session's Paillier nonces and
      // commitment masks (public parameters only).
      if (r.paillier && !workerRef.current && !cancelled.current) {
        const worker = new Worker(new URL("./send-sign.worker.ts", import.meta.url), { type: "module" });
        workerRef.current = worker;
        worker.postMessage({ type: "precompute", moduli: r.paillier, ringPedersen: r.ringPedersen } satisfies SignWorkerRequest);
      }
    }, () => setRecord(null));
    return () => {
      cancelled.current = true;
      workerRef.current?.terminate();
      workerRef.current = null;
    };
  }, [open, signer.id]);

  const busy = ["unlock", "session", "approval", "signing", "broadcast"].includes(phase.name);
  /** The form is frozen from the moment a session exists for it: what was reviewed is what is signed. */
  const locked = busy || ["review", "pending", "mined"].includes(phase.name);
  const needsPassphrase = record !== null && (() => {
    try {
      return schemeOf(record) === "passphrase";
    } catch {
      return false;
    }
  })();

  async function waitForApproval(sessionId: string): Promise<StatusView> {
    for (;;) {
      await sleep(2000);
      if (cancelled.current) throw new Error("Cancelled");
      const res = await fetch(signerPath(signer.id, `/sign/session/${sessionId}`), { credentials: "same-origin", headers: { accept: "application/json" } });
      if (!res.ok) continue;
      const s = (await res.json()) as StatusView;
      if (s.status === "open") return s;
      if (s.status !== "pending_approval") throw new Error(`The request was ${s.status} instead of approved.`);
    }
  }

  /**
   * Checks the server's session against what the user entered (lib/signing/verify-session.ts): the
   * filled transaction's chain, recipient, value and data, the digest recomputed from it, the signer
   * set and the sid re-derived from both nonces. Throws TamperedSessionError on any difference.
   */
  function verify(session: SessionView, intent: SigningIntent, clientNonce: string, identityKey: string): Prepared["verified"] {
    const verified = verifySigningSession(session, { keyId: signer.id, party: PARTY_INDEX.user, clientNonce, intent, identityKey });
    if (!verified.transaction) throw new TamperedSessionError("The server opened a message session for a transaction", "kind");
    return { ...verified, transaction: verified.transaction };
  }

  function runWorker(unlocked: { share: string; profile: string; identityCertificate: string }, p: Prepared): Promise<void> {
    const { share, profile, identityCertificate } = unlocked;
    return new Promise((resolve, reject) => {
      // The worker the dialog opened (with its precomputed nonces), else a new one; one session per worker.
      const worker = workerRef.current ?? new Worker(new URL("./send-sign.worker.ts", import.meta.url), { type: "module" });
      workerRef.current = worker;
      const finish = () => {
        worker.terminate();
        if (workerRef.current === worker) workerRef.current = null;
      };
      worker.onmessage = (ev: MessageEvent) => {
        const m = ev.data as SignWorkerResponse;
        if (m.type === "progress") setPhase({ name: "signing", round: m.round });
        else if (m.type === "done") {
          finish();
          resolve();
        } else if (m.type === "error") {
          finish();
          reject(new Error(m.message));
        }
      };
      worker.onerror = (ev) => {
        finish();
        reject(new Error(`The signing worker failed: ${ev.message || "it could not start"}`));
      };
      const req: SignWorkerRequest = { type: "start", signerId: signer.id, publicKey: signer.publicKey, profile, share, session: p.session, intent: p.intent, clientNonce: p.clientNonce, identity: p.identity, identityCertificate };
      worker.postMessage(req);
    });
  }

  /** Step 1 (no secret involved): the server fills and hashes the transaction; this browser checks it and shows it. */
  async function review(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (phase.name === "review") return sign();
    const checked = validateSimulation(form);
    if (!checked.ok || form.to.trim() === "") {
      setErrors({ ...(checked.ok ? {} : checked.errors), ...(form.to.trim() === "" ? { to: "Enter the recipient's address" } : {}) });
      return;
    }
    setErrors({});
    setPrepared(null);
    const tx = { to: checked.request.to, value: checked.request.value, ...(checked.request.data ? { data: checked.request.data } : {}) };
    const intent: SigningIntent = { kind: "transaction", chainId: signer.chainId, to: tx.to, value: tx.value, data: tx.data ?? "0x" };
    const clientNonce = randomHex(32);
    const identity = newIdentityKey();
    try {
      setPhase({ name: "session" });
      let session: SessionView;
      try {
        const r = await postJson<SessionView>(signerPath(signer.id, "/sign/session"), { transaction: tx, clientNonce, identityKey: identity.publicKey });
        session = r.body;
      } catch (err) {
        if (err instanceof HttpCallError && err.status === 403) {
          const body = err.body as { message?: string; violations?: Violation[] } | null;
          setPhase({ name: "refused", message: body?.message ?? err.message, violations: body?.violations ?? [] });
          return;
        }
        throw err;
      }
      if (cancelled.current) return;
      let verified = verify(session, intent, clientNonce, identity.publicKey);
      setPrepared({ session, intent, clientNonce, identity, verified });
      if (session.status === "pending_approval") {
        setPhase({ name: "approval", reasons: session.approvals ?? [] });
        const opened = await waitForApproval(session.sessionId);
        const again = verify(opened, intent, clientNonce, identity.publicKey);
        if (again.messageHash !== verified.messageHash || again.sid !== verified.sid) throw new TamperedSessionError("The approved session differs from the one the server opened", "sid");
        verified = again;
        session = { ...session, ...opened };
        setPrepared({ session, intent, clientNonce, identity, verified });
      }
      setPhase({ name: "review" });
    } catch (err) {
      fail(err);
    }
  }

  /** A refused session (tampered) or any other failure ends the flow with its own message. */
  function fail(err: unknown) {
    if (cancelled.current) return;
    if (err instanceof TamperedSessionError) {
      setPrepared(null);
      setPhase({ name: "tampered", message: err.message });
      return;
    }
    setPhase({ name: "error", message: errorText(err) });
  }

  /** Step 2, after the user saw the transaction: the passkey unlocks the share, the user's party signs, the server broadcasts. */
  async function sign() {
    const p = prepared;
    if (!p) return;
    try {
      // Checked again right before the share is unlocked, and once more inside the worker.
      const checked = verify(p.session, p.intent, p.clientNonce, p.identity.publicKey);
      setPhase({ name: "unlock" });
      const stored = record ?? (await fetchUserShare(signer.id));
      const unlocked = await unlockUserShare(signer.id, stored, passphrase, { sid: checked.sid, sessionKey: p.identity.publicKey });
      setPhase({ name: "signing", round: 1 });
      await runWorker(unlocked, p);
      setPhase({ name: "broadcast" });
      const done = await postJson<{ kind: string; txHash: string }>(signerPath(signer.id, "/sign/complete"), { sessionId: p.session.sessionId });
      const txHash = done.body.txHash;
      setPhase({ name: "pending", txHash });
      void queryClient.invalidateQueries({ queryKey: auditLogPrefix });
      if (network) {
        const client = createPublicClient({ transport: http(network.rpcUrl) });
        const receipt = await client.waitForTransactionReceipt({ hash: txHash as Hex, pollingInterval: network.isDevnet ? 500 : 4000, timeout: 10 * 60_000 });
        setPhase({ name: "mined", txHash, blockNumber: receipt.blockNumber.toString(), success: receipt.status === "success" });
        void queryClient.invalidateQueries({ queryKey: signerKeys.all });
      }
    } catch (err) {
      fail(err);
    }
  }

  const close = () => {
    cancelled.current = true;
    workerRef.current?.terminate();
    workerRef.current = null;
    setPhase({ name: "form" });
    setPrepared(null);
    onClose();
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      closeOnBackdrop={false}
      title={`Send from ${signer.name}`}
      description="You and Countersign sign together (User+Server): your share is decrypted in this browser with your passkey and never leaves it."
    >
      <form className="space-y-4" onSubmit={(e) => void review(e)} aria-label="Send transaction">
        <Field label="To" error={errors.to}>
          {(control) => <Input {...control} value={form.to} placeholder="0x…" disabled={locked} onChange={(e) => setForm({ ...form, to: e.target.value })} />}
        </Field>
        <Field label={`Amount (${symbol})`} error={errors.value}>
          {(control) => <Input {...control} value={form.value} inputMode="decimal" placeholder="0.1" disabled={locked} onChange={(e) => setForm({ ...form, value: e.target.value })} />}
        </Field>
        <Field label="Data (optional)" hint="Calldata for a contract call, 0x…" error={errors.data}>
          {(control) => <Input {...control} value={form.data} placeholder="0x" disabled={locked} onChange={(e) => setForm({ ...form, data: e.target.value })} />}
        </Field>
        {needsPassphrase ? (
          <Field label="Share passphrase">
            {(control) => <Input {...control} type="password" value={passphrase} disabled={busy} onChange={(e) => setPassphrase(e.target.value)} />}
          </Field>
        ) : null}
        {prepared && ["approval", "review", "unlock", "signing", "broadcast"].includes(phase.name) ? (
          <SendReview tx={prepared.verified.transaction} digest={prepared.verified.messageHash} from={signer.address} network={network} waiting={phase.name === "approval"} />
        ) : null}
        <SendStatus phase={phase} network={network} />
        <div className="flex justify-end gap-2">
          {phase.name === "review" ? (
            <Button
              type="button"
              variant="secondary"
              onClick={() => {
                setPrepared(null);
                setPhase({ name: "form" });
              }}
            >
              Edit
            </Button>
          ) : null}
          <Button type="button" variant="secondary" onClick={close}>
            {phase.name === "mined" ? "Close" : "Cancel"}
          </Button>
          {phase.name !== "mined" && phase.name !== "pending" ? (
            <Button type="submit" loading={busy}>
              {["review", "unlock", "signing", "broadcast"].includes(phase.name) ? "Sign and send" : "Review transaction"}
            </Button>
          ) : null}
        </div>
      </form>
    </Dialog>
  );
}

function SendStatus({ phase, network }: { phase: Phase; network: Network | undefined }) {
  const progress = (text: string) => (
    <div className="flex items-center gap-3 text-sm" role="status" aria-live="polite">
      <Spinner label="Working" />
      <p data-testid="send-status">{text}</p>
    </div>
  );
  switch (phase.name) {
    case "form":
      return null;
    case "unlock":
      return progress("Unlocking your share with your passkey…");
    case "session":
      return progress("Preparing the transaction: the server fills it and checks the guardrails…");
    case "review":
      return (
        <p className="text-sm text-fg-muted" data-testid="send-status">
          Check the transaction above. Signing asks for your passkey to unlock your share.
        </p>
      );
    case "approval":
      return (
        <div role="status" className="rounded-lg bg-warning-soft px-3 py-3 text-sm text-warning-soft-fg" data-testid="send-status">
          <p className="font-semibold">Waiting for approval</p>
          <p>A guardrail requires a human to approve this transaction first{phase.reasons.length ? `: ${phase.reasons.join("; ")}` : ""}. Once it is approved, you sign it here.</p>
        </div>
      );
    case "signing":
      return progress(`Signing together with Countersign: round ${Math.min(phase.round, 4)} of 4`);
    case "broadcast":
      return progress("Broadcasting the signed transaction…");
    case "pending":
    case "mined": {
      const url = txUrl(network, phase.txHash);
      return (
        <div role="status" className={phase.name === "mined" && !phase.success ? "rounded-lg bg-danger-soft px-3 py-3 text-sm text-danger-soft-fg" : "rounded-lg bg-success-soft px-3 py-3 text-sm text-success-soft-fg"}>
          <p className="flex items-center gap-2 font-semibold" data-testid="send-status">
            {phase.name === "pending" ? <Spinner label="Waiting" /> : <CheckCircleIcon className="size-4" />}
            {phase.name === "pending" ? "Sent — waiting to be mined" : phase.success ? `Mined in block ${phase.blockNumber}` : `Mined in block ${phase.blockNumber}, but it reverted`}
          </p>
          <p className="mt-1 font-mono text-xs break-all" data-testid="send-tx-hash">
            {phase.txHash}
          </p>
          {url ? (
            <a href={url} target="_blank" rel="noreferrer" className="underline">
              View on explorer
            </a>
          ) : null}
        </div>
      );
    }
    case "refused":
      return (
        <div role="alert" className="rounded-lg bg-danger-soft px-3 py-3 text-sm text-danger-soft-fg" data-testid="send-refused">
          <p className="flex items-center gap-2 font-semibold">
            <AlertIcon className="size-4" /> Refused: {phase.message}
          </p>
          {phase.violations.length ? (
            <ul className="mt-1 list-disc pl-5">
              {phase.violations.map((v, i) => (
                <li key={i}>
                  {v.type ? <span className="font-mono text-xs">{v.type}</span> : null} {v.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      );
    case "tampered":
      return (
        <div role="alert" className="rounded-lg bg-danger-soft px-3 py-3 text-sm text-danger-soft-fg" data-testid="send-tampered">
          <p className="flex items-center gap-2 font-semibold">
            <AlertIcon className="size-4" /> Refused to sign: the server&apos;s session does not match this transaction
          </p>
          <p className="mt-1">{phase.message}. Your share was not unlocked and nothing was signed.</p>
        </div>
      );
    case "error":
      return (
        <p role="alert" className="rounded-lg bg-danger-soft px-3 py-3 text-sm text-danger-soft-fg" data-testid="send-error">
          {phase.message}
        </p>
      );
  }
}
