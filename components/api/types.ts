/** Response shapes of the Countersign v1 API as the dashboard uses them. */

export type OrganizationRole = "owner" | "admin" | "approver" | "viewer";

export const ORGANIZATION_ROLES: readonly OrganizationRole[] = ["owner", "admin", "approver", "viewer"];

export interface SessionUser {
  id: string;
  email: string | null;
  name: string | null;
  emailVerified: boolean;
  walletAddress: string | null;
}

export interface OrganizationSummary {
  id: string;
  name: string;
  role: OrganizationRole;
}

/** Same shape as the server's PageSession and GET /api/v1/auth/me. */
export interface SessionView {
  user: SessionUser;
  organization: OrganizationSummary;
  organizations: OrganizationSummary[];
}

export interface Member {
  userId: string;
  email: string | null;
  name: string | null;
  role: OrganizationRole;
  joinedAt: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: OrganizationRole;
  createdAt: string;
}

export interface MembersResponse {
  members: Member[];
  invitations: Invitation[];
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  expiresAt: string | null;
}

export interface ApiKeyScope {
  id: string;
  description: string;
}

export interface CreatedApiKey {
  apiKey: ApiKey;
  secret: string;
}

export interface Passkey {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  deviceType: string;
  backedUp: boolean;
}

export interface AuditActor {
  type: string;
  id: string | null;
  label: string | null;
}

export interface AuditEvent {
  id: string;
  action: string;
  actor: AuditActor;
  resourceType: string | null;
  resourceId: string | null;
  outcome: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  details: unknown;
}

export interface AuditPage {
  items: AuditEvent[];
  nextCursor: string | null;
}

export interface OutboxMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  createdAt: string;
}
