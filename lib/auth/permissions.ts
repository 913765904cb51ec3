import type { Role } from "@/lib/generated/prisma/enums";

/**
 * One vocabulary for what a caller may do. A dashboard user gets permissions from their role in the
 * organization; a machine credential gets exactly the scopes it was issued with (scopes are these
 * same permission names).
 */
export const PERMISSIONS = {
  "org:read": "Read the organization and its members",
  "org:manage": "Rename the organization",
  "members:manage": "Invite, change and remove members",
  "api_keys:manage": "Create and revoke API keys",
  "audit:read": "Read the audit log",
  "agents:read": "Read the agent registry: agents, their identifiers, signers and decisions",
  "agents:manage": "Register, edit, pause, resume and retire agents, attach signers and mint agent tokens",
  "signers:read": "Read signers, balances and activity",
  "signers:manage": "Create, pause and delete signers",
  "policies:read": "Read guardrail policies",
  "policies:manage": "Edit and activate guardrail policies",
  "approvals:read": "Read approval requests",
  "approvals:decide": "Approve or reject requests",
  sign: "Co-sign as a signer's agent (carried by signer API keys only)",
  "gateway:check": "Gate agents' tool calls and ingest traces (seed 002)",
  "gateway:review": "Resolve pending tool-call checks (seed 002)",
  "gateway:admin": "Manage gateway tool policies and settings (seed 002)",
  "trust:read": "Read agents' trust scores and reports (seed 001)",
  "trust:write": "Register agents and report transactions and configuration changes (seed 001)",
  "identity:read": "Read agent identity registrations and cards (seed 003)",
  "identity:write": "Register, refresh and deregister agent identities (seed 003)",
  scim: "Provision users and groups over SCIM 2.0",
  "provisioning:manage": "Create and revoke SCIM tokens and map groups to roles (owners only)",
} as const;

export type Permission = keyof typeof PERMISSIONS;

/** Scopes an organization API key may carry (a key never manages members or other keys). */
export const API_KEY_SCOPES: Permission[] = [
  "org:read",
  "audit:read",
  "agents:read",
  "agents:manage",
  "signers:read",
  "signers:manage",
  "policies:read",
  "policies:manage",
  "approvals:read",
  "gateway:check",
  "gateway:review",
  "gateway:admin",
  "trust:read",
  "trust:write",
  "identity:read",
  "identity:write",
  "scim",
];

const READ: Permission[] = ["org:read", "audit:read", "agents:read", "signers:read", "policies:read", "approvals:read", "trust:read", "identity:read"];

const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set(Object.keys(PERMISSIONS) as Permission[]),
  // SCIM tokens decide who joins with which role, owners included: only an owner issues them (issue #18).
  admin: new Set((Object.keys(PERMISSIONS) as Permission[]).filter((p) => p !== "provisioning:manage")),
  approver: new Set<Permission>([...READ, "approvals:decide", "gateway:review"]),
  viewer: new Set<Permission>(READ),
};

export function roleCan(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}

/** Only an owner may grant or take away the owner role; admins manage everyone else. */
export function canAssignRole(actor: Role, target: Role): boolean {
  if (actor === "owner") return true;
  return actor === "admin" && target !== "owner";
}
