import { normalizeAllowList } from "@/lib/gateway/allow-list";
import type { AgentIdentifiers, AgentStatus } from "../api/agents";
import type { OrganizationRole } from "../api/types";
import type { BadgeTone } from "../ui/badge";

export const agentStatusLabel: Record<AgentStatus, string> = { active: "Active", paused: "Paused", retired: "Retired" };
export const agentStatusTone: Record<AgentStatus, BadgeTone> = { active: "success", paused: "warning", retired: "neutral" };

/** Owners and admins hold `agents:manage`; approvers and viewers only read. */
export function canManageAgents(role: OrganizationRole): boolean {
  return role === "owner" || role === "admin";
}

/** The identifiers an agent has, labelled by the system they belong to (empty ones left out). */
export function identifierRows(ids: AgentIdentifiers): { label: string; value: string }[] {
  const rows: { label: string; value: string }[] = [];
  if (ids.signetSid) rows.push({ label: "Signet SID", value: ids.signetSid });
  if (ids.aegisAgentId) rows.push({ label: "AEGIS agent_id", value: ids.aegisAgentId });
  if (ids.onchain) rows.push({ label: "On-chain identity", value: `#${ids.onchain.agentId} on chain ${ids.onchain.chainId}` });
  if (ids.agentAddress) rows.push({ label: "Agent address", value: ids.agentAddress });
  if (ids.turnkeyWalletId) rows.push({ label: "Turnkey wallet", value: ids.turnkeyWalletId });
  return rows;
}

export const SIGNET_SID_PATTERN = /^SID-0x[0-9a-f]{16}$/;

/** Client-side checks of the create form (the server checks again and answers 400/409). */
export function validateAgentForm(form: { name: string; signetSid: string; aegisAgentId: string }): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!form.name.trim()) errors.name = "Give the agent a name";
  else if (form.name.trim().length > 100) errors.name = "At most 100 characters";
  if (form.signetSid && !SIGNET_SID_PATTERN.test(form.signetSid)) errors.signetSid = "SID-0x followed by 16 lowercase hex digits";
  if (form.aegisAgentId.length > 128) errors.aegisAgentId = "At most 128 characters";
  return errors;
}

/** The allow-list editor's text: one tool name or `prefix*` pattern per line (commas also separate). */
export function parseAllowList(text: string): string[] {
  return normalizeAllowList(text.split(/[\n,]/)) ?? [];
}
