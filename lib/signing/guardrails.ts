import type { DbOrTx } from "@/lib/db/client";

/**
 * The one place the signing path asks "may the server co-sign this?". Until the guardrails engine is
 * wired in (lib/policy), every request is allowed; the call sites, inputs and outcomes are final.
 */
export type SigningRequest =
  | { kind: "transaction"; chainId: number; to: string | null; value: bigint; data: string }
  | { kind: "message"; message: string }
  | { kind: "typed_data"; typedData: unknown };

export type GuardrailOutcome = { outcome: "allow" } | { outcome: "deny"; violations: { policyId: string; type: string; message: string }[] } | { outcome: "require_approval"; reason: string };

export async function checkGuardrails(_db: DbOrTx, _input: { organizationId: string; signerId: string; request: SigningRequest; messageHash: string }): Promise<GuardrailOutcome> {
  return { outcome: "allow" };
}
