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
  "signers:read": "Read signers, balances and activity",
  "signers:manage": "Create, pause and delete signers",
  "policies:read": "Read guardrail policies",
  "policies:manage": "Edit and activate guardrail policies",
  "approvals:read": "Read approval requests",
  "approvals:decide": "Approve or reject requests",
  sign: "Co-sign as a signer's agent (carried by signer API keys only)",
} as const;

export type Permission = keyof typeof PERMISSIONS;

/** Scopes an organization API key may carry (a key never manages members or other keys). */
export const API_KEY_SCOPES: Permission[] = ["org:read", "audit:read", "signers:read", "signers:manage", "policies:read", "policies:manage", "approvals:read"];

const READ: Permission[] = ["org:read", "audit:read", "signers:read", "policies:read", "approvals:read"];

const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set(Object.keys(PERMISSIONS) as Permission[]),
  admin: new Set(Object.keys(PERMISSIONS) as Permission[]),
  approver: new Set<Permission>([...READ, "approvals:decide"]),
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
