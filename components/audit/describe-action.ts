import type { AuditEvent } from "../api/types";

/** "api_key.created" → "API key created"; unknown actions fall back to a readable form of the raw name. */
export function describeAction(action: string): string {
  const words = action
    .split(/[._:\s-]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
  if (words.length === 0) return action;
  const text = words
    .join(" ")
    .replace(/\bapi\b/g, "API")
    .replace(/\bsiwe\b/g, "wallet")
    .replace(/\bmfa\b/g, "MFA")
    .replace(/\borg\b/g, "organization");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function actorLabel(actor: AuditEvent["actor"]): string {
  if (actor.label) return actor.label;
  if (actor.type === "system") return "System";
  return actor.id ? `${actor.type} ${actor.id.slice(0, 8)}` : actor.type;
}

export type OutcomeTone = "success" | "danger" | "warning" | "neutral";

export function outcomeTone(outcome: string): OutcomeTone {
  const value = outcome.toLowerCase();
  if (["success", "succeeded", "ok", "allowed", "approved"].includes(value)) return "success";
  if (["failure", "failed", "denied", "error", "rejected", "blocked"].includes(value)) return "danger";
  if (["pending", "held"].includes(value)) return "warning";
  return "neutral";
}
