"use client";

import { startAuthentication, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { useState } from "react";
import { api, apiRequest } from "../api/client";
import { describeError } from "../api/errors";
import { assertionHeader } from "../api/passkey-assertion";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardBody, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import { Select } from "../ui/select";

export type MockPassportRequest = {
  kind: string;
  stage: string;
  chainId: number;
  disclosures: { minimumAge?: number; ofac?: boolean; nationality?: boolean; name?: boolean };
  agentAddress: string | null;
  agentId: number | null;
  expiresAt: number;
};

type Outcome = { stage: string; agentId?: number | null; txHash?: string; error?: string; agentCount?: number };

const PURPOSE: Record<string, string> = {
  register: "Register an agent backed by your proof of personhood",
  identify: "Find the agents registered with your proof of personhood",
  refresh: "Refresh the proof of an agent you registered",
  deregister: "Remove (burn) an agent you registered",
};

function asked(d: MockPassportRequest["disclosures"]): string[] {
  const out: string[] = [];
  if (d.minimumAge) out.push(`Age ${d.minimumAge} or over`);
  if (d.ofac) out.push("Whether you are on an OFAC sanctions list");
  if (d.nationality) out.push("Your nationality");
  if (d.name) out.push("Your name (not recorded on chain)");
  return out.length ? out : ["Only that you are a unique human (a nullifier)"];
}

/** The mock passport app: pick mock document data, "scan", and post the proof to the session's callback. */
export function MockPassport({ token, request, problem }: { token: string; request: MockPassportRequest | null; problem: string | null }) {
  const [doc, setDoc] = useState({ type: "passport", nationality: "GBR", dateOfBirth: "1990-01-01", documentNumber: "", ofacListed: false });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  if (!request) {
    return (
      <Card className="mx-auto max-w-lg">
        <CardHeader>
          <CardTitle>Mock passport</CardTitle>
          <CardDescription>This session cannot be opened: {problem ?? "no session token"}.</CardDescription>
        </CardHeader>
      </Card>
    );
  }

  async function scan(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // A signed-in member confirms with a passkey (the approvals' challenge, bound to this session).
      const ch = await api.post<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }>("/api/v1/identity/mock-passport/challenge", { token });
      let assertion;
      try {
        assertion = await startAuthentication({ optionsJSON: ch.options });
      } catch (err) {
        throw new Error(err instanceof Error && err.name === "NotAllowedError" ? "The passkey prompt was cancelled or timed out. Scan again to retry." : `Passkey check failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      const { proof, callbackUrl } = await apiRequest<{ proof: unknown; callbackUrl: string }>("/api/v1/identity/mock-passport", {
        method: "POST",
        body: { token, document: doc },
        headers: { "X-Countersign-Assertion": assertionHeader(ch.challengeId, assertion) },
      });
      // As the provider's app would: post the proof to the session's callback.
      setOutcome(await api.post<Outcome>(new URL(callbackUrl).pathname + new URL(callbackUrl).search, proof));
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card className="mx-auto max-w-lg" data-testid="mock-passport">
      <CardHeader>
        <div className="flex items-center gap-2">
          <CardTitle>Mock passport</CardTitle>
          <Badge tone="warning">Mock · development only</Badge>
        </div>
        <CardDescription>
          This page plays a proof-of-personhood app (a mock of Self&apos;s passport app, which this installation cannot reach). Its proofs count only on the local devnet.
        </CardDescription>
      </CardHeader>
      <CardBody className="space-y-4">
        <div>
          <p className="text-sm font-medium">{PURPOSE[request.kind] ?? request.kind}</p>
          <p className="text-xs text-fg-muted">
            Chain {request.chainId}
            {request.agentAddress ? ` · agent ${request.agentAddress}` : ""}
            {request.agentId ? ` · agent #${request.agentId}` : ""}
          </p>
        </div>
        <div>
          <p className="text-sm font-medium">This request asks you to disclose</p>
          <ul className="list-disc pl-5 text-sm" data-testid="mock-passport-disclosures">
            {asked(request.disclosures).map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        </div>
        {outcome ? (
          <div role="status" data-testid="mock-passport-outcome" className="space-y-1 text-sm">
            <p>
              Result: <Badge tone={outcome.stage === "completed" ? "success" : outcome.stage === "proof-received" ? "neutral" : "danger"}>{outcome.stage}</Badge>
            </p>
            {outcome.stage === "proof-received" ? <p>Proof accepted: finish the registration with your passkey on the agent&apos;s page.</p> : null}
            {outcome.agentId ? <p>Agent #{outcome.agentId}</p> : null}
            {outcome.agentCount !== undefined ? <p>{outcome.agentCount} agent(s) registered with this document</p> : null}
            {outcome.error ? <p className="text-danger-soft-fg">{outcome.error}</p> : null}
            <p className="text-fg-muted">You can close this page.</p>
          </div>
        ) : request.stage !== "qr-ready" ? (
          <p className="text-sm" role="status">
            This session already received a proof (stage {request.stage}).
          </p>
        ) : (
          <form className="space-y-3" onSubmit={scan}>
            <Field label="Document">
              {(c) => (
                <Select
                  {...c}
                  value={doc.type}
                  onChange={(e) => setDoc({ ...doc, type: e.target.value })}
                  options={[
                    { value: "passport", label: "Passport (strength Standard)" },
                    { value: "id_card", label: "ID card (strength Basic)" },
                  ]}
                />
              )}
            </Field>
            <Field label="Nationality" hint="ISO 3166-1 alpha-3, e.g. GBR">
              {(c) => <Input {...c} value={doc.nationality} maxLength={3} onChange={(e) => setDoc({ ...doc, nationality: e.target.value.toUpperCase() })} />}
            </Field>
            <Field label="Date of birth">{(c) => <Input {...c} type="date" value={doc.dateOfBirth} onChange={(e) => setDoc({ ...doc, dateOfBirth: e.target.value })} />}</Field>
            <Field label="Document number" hint="The same document is the same human">
              {(c) => <Input {...c} value={doc.documentNumber} onChange={(e) => setDoc({ ...doc, documentNumber: e.target.value })} required minLength={5} maxLength={20} />}
            </Field>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={doc.ofacListed} onChange={(e) => setDoc({ ...doc, ofacListed: e.target.checked })} />
              The holder is on an OFAC list (mock)
            </label>
            {error ? (
              <p role="alert" className="text-sm text-danger-soft-fg">
                {error}
              </p>
            ) : null}
            <p className="text-xs text-fg-muted">Scanning asks for your passkey: only a member of the organization that owns this agent can confirm.</p>
            <Button type="submit" loading={busy}>
              Scan mock passport
            </Button>
          </form>
        )}
      </CardBody>
    </Card>
  );
}
