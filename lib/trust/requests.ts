/**
 * Seed 001's request checks with its literal messages (pure). Types are checked by the route
 * contracts (lib/api/trust.ts); presence and formats here, so a missing field gets the seed's words.
 */
import { BadRequestError } from "@/lib/http/errors";
import { normalizeSid, OUTCOMES, SID_FORMAT_ERROR, type AgentConfig, type Outcome, type Signals } from "./model";

const present = (v: unknown) => v !== undefined && v !== null && !(typeof v === "string" && v.trim() === "");

function requireFields(body: Record<string, unknown>, fields: readonly string[]): void {
  if (fields.some((f) => !present(body[f]))) throw new BadRequestError(`Missing required fields: ${fields.join(", ")}`);
}

/** A SID from the path or body, as stored (lowercase hex), or 400 "Invalid SID format. Expected: SID-0x[16 hex chars]". */
export function parseSid(text: unknown): string {
  const sid = typeof text === "string" ? normalizeSid(text) : null;
  if (!sid) throw new BadRequestError(SID_FORMAT_ERROR);
  return sid;
}

type ConfigBody = { modelProvider?: string; modelName?: string; systemPromptHash?: string; tools?: string[]; memoryConfig?: Record<string, unknown> };

function configFrom(b: ConfigBody): AgentConfig {
  return { modelProvider: b.modelProvider!.trim(), modelName: b.modelName!.trim(), systemPromptHash: b.systemPromptHash ?? null, tools: b.tools ?? [], memoryConfig: b.memoryConfig ?? null };
}

export function registerRequest(b: ConfigBody & { name?: string; description?: string }) {
  requireFields(b, ["name", "modelProvider", "modelName"]);
  return { ...configFrom(b), name: b.name!.trim(), description: b.description ?? null };
}

export function configRequest(b: ConfigBody): AgentConfig {
  requireFields(b, ["modelProvider", "modelName"]);
  return configFrom(b);
}

export type TransactionBody = {
  sid?: string;
  transactionType?: string;
  outcome?: string;
  reliabilitySignal?: number;
  qualitySignal?: number;
  financialSignal?: number;
  securitySignal?: number;
  metadata?: Record<string, unknown>;
};

export function transactionRequest(b: TransactionBody): { sid: string; transactionType: string; outcome: Outcome; signals: Signals; metadata?: Record<string, unknown> } {
  requireFields(b, ["sid", "transactionType", "outcome"]);
  const sid = parseSid(b.sid);
  if (!(OUTCOMES as readonly string[]).includes(b.outcome!)) throw new BadRequestError(`Invalid outcome. Must be one of: ${OUTCOMES.join(", ")}`);
  const signals: Signals = {};
  if (b.reliabilitySignal !== undefined) signals.reliability = b.reliabilitySignal;
  if (b.qualitySignal !== undefined) signals.quality = b.qualitySignal;
  if (b.financialSignal !== undefined) signals.financial = b.financialSignal;
  if (b.securitySignal !== undefined) signals.security = b.securitySignal;
  return { sid, transactionType: b.transactionType!.trim(), outcome: b.outcome as Outcome, signals, metadata: b.metadata };
}
