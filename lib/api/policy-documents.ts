import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { idParams, int4, v1Error } from "./schemas";

/*
 * Seed 000's rules engine: a signer's versioned rules document (draft, active, history) and the
 * backtest. Documents are validated by lib/policy/rules-schema.ts, whose issues come back as 400
 * violations with exact paths (body.rules[3].when.all[0].op).
 */
const tags = ["Policies"];

const userRef = z.object({ id: z.string(), email: z.string().nullable() }).nullable();
const outcome = z.enum(["allow", "deny", "require_approval"]);

const documentView = z.object({
  id: z.string(),
  signerId: z.string(),
  version: z.number().int(),
  status: z.enum(["draft", "active", "superseded"]),
  rules: z.unknown().meta({ description: "The rules document as stored (normalised: defaults filled in, amounts as decimal strings, addresses checksummed)" }),
  preview: z.array(z.string()).meta({ description: "One readable line per rule, e.g. \"Require approval when value > 1 ETH\"" }),
  createdAt: z.string(),
  createdBy: userRef,
  updatedAt: z.string(),
  activatedAt: z.string().nullable(),
  activatedBy: userRef,
  supersededAt: z.string().nullable(),
});

/** Checked in full by parseRulesDocument so that every problem is reported with its path. */
const rulesDocument = z.record(z.string(), z.unknown()).meta({
  description:
    "A rules document: { version: 1, defaultAction: allow|deny|require_approval, timeZone?: IANA zone, lists?: { name: [address] }, rules: [{ id, description?, when: condition, action }] }. A condition is { all: [...] }, { any: [...] }, { not: condition } or { field, op, value } over to, value, selector, chainId, token, tokenAmount, counterparty, hour, weekday, kind or args.<name> (signing requests), or tool, category, risk, anomaly_score, agent or arguments.<path> (tool calls at the gateway: a rule naming one of these decides tool calls only), and trust.composite, trust.<dimension> (0-1000), trust.confidence, trust.recommendation (the agent's seed 001 trust score at decision time; false for an agent without one). The first matching rule wins.",
});

export const getActivePolicy = defineRoute({
  method: "GET",
  path: "/api/v1/signers/{id}/policy",
  summary: "Get the active rules document (null when none is active)",
  tags,
  auth: ["session", "apiKey"],
  permission: "policies:read",
  params: idParams,
  responses: { 200: z.object({ policy: documentView.nullable() }), 404: v1Error },
});

export const replaceActivePolicy = defineRoute({
  method: "PUT",
  path: "/api/v1/signers/{id}/policy",
  summary: "Save a rules document as a new version and activate it at once (the previous active version is superseded; an existing draft stays)",
  tags,
  auth: ["session", "apiKey"],
  permission: "policies:manage",
  params: idParams,
  body: rulesDocument,
  responses: { 200: z.object({ policy: documentView }), 400: v1Error, 404: v1Error, 409: v1Error },
});

export const getDraftPolicy = defineRoute({
  method: "GET",
  path: "/api/v1/signers/{id}/policy/draft",
  summary: "Get the draft rules document (null when there is none)",
  tags,
  auth: ["session", "apiKey"],
  permission: "policies:read",
  params: idParams,
  responses: { 200: z.object({ draft: documentView.nullable() }), 404: v1Error },
});

export const saveDraftPolicy = defineRoute({
  method: "PUT",
  path: "/api/v1/signers/{id}/policy/draft",
  summary: "Save a rules document as the draft: creates the next version, or replaces the existing draft's rules (same version)",
  tags,
  auth: ["session", "apiKey"],
  permission: "policies:manage",
  params: idParams,
  body: rulesDocument,
  responses: { 200: z.object({ draft: documentView }), 400: v1Error, 404: v1Error, 409: v1Error },
});

export const activatePolicy = defineRoute({
  method: "POST",
  path: "/api/v1/signers/{id}/policy/activate",
  summary: "Activate the draft (the previous active version is superseded). Send {} or { version } (and optionally the draft's updatedAt) to refuse with 409 if the draft changed since you reviewed it",
  tags,
  auth: ["session", "apiKey"],
  permission: "policies:manage",
  params: idParams,
  body: z.strictObject({
    version: int4.min(1).optional(),
    updatedAt: z.iso.datetime({ offset: true }).optional(),
  }),
  responses: { 200: z.object({ policy: documentView }), 400: v1Error, 404: v1Error, 409: v1Error },
});

const requestView = z.object({
  kind: z.enum(["transaction", "message", "typed_data"]),
  to: z.string().nullable(),
  value: z.string().meta({ description: "Native value in wei" }),
  selector: z.string().nullable(),
  token: z.object({ address: z.string(), symbol: z.string().optional(), amount: z.string().meta({ description: "Base units" }) }).nullable(),
  summary: z.string(),
});

export const backtestPolicy = defineRoute({
  method: "POST",
  path: "/api/v1/signers/{id}/policy/backtest",
  summary: "Replay a rules document (body.document, or the draft when absent) with the enabled built-in policies over the signer's whole signing history",
  tags,
  auth: ["session", "apiKey"],
  permission: "policies:read",
  params: idParams,
  body: z.strictObject({ document: rulesDocument.optional() }),
  responses: {
    200: z.object({
      document: z.object({ id: z.string(), version: z.number().int() }).nullable().meta({ description: "The draft replayed, or null for body.document" }),
      items: z.array(
        z.object({
          id: z.string(),
          at: z.string(),
          request: requestView,
          then: outcome,
          now: outcome,
          changed: z.boolean(),
          reasons: z.array(z.string()),
          matchedRuleId: z.string().nullable(),
        }),
      ).meta({ description: "Oldest first; only the most recent 1000 when truncated" }),
      summary: z.object({
        total: z.number().int(),
        changed: z.number().int(),
        allowToDeny: z.number().int(),
        denyToAllow: z.number().int(),
        toApproval: z.number().int(),
        fromApproval: z.number().int(),
      }),
      truncated: z.boolean().meta({ description: "True when items holds only the most recent ones; the summary covers the whole history" }),
      skipped: z.number().int().meta({ description: "History rows that could not be replayed (not counted in the summary)" }),
    }),
    400: v1Error,
    404: v1Error,
    409: v1Error,
  },
});

export const policyHistory = defineRoute({
  method: "GET",
  path: "/api/v1/signers/{id}/policy/history",
  summary: "Every version of the rules document, newest first: who created and who activated it, and when",
  tags,
  auth: ["session", "apiKey"],
  permission: "policies:read",
  params: idParams,
  responses: { 200: z.object({ versions: z.array(documentView) }), 404: v1Error },
});
