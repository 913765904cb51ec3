export const queryKeys = {
  me: ["auth", "me"] as const,
  organizations: ["organizations"] as const,
  members: (organizationId: string) => ["members", organizationId] as const,
  apiKeys: (organizationId: string) => ["api-keys", organizationId] as const,
  apiKeyScopes: ["api-keys", "scopes"] as const,
  passkeys: ["passkeys"] as const,
  audit: (organizationId: string, limit: number) => ["audit-log", organizationId, limit] as const,
  outbox: ["dev", "outbox"] as const,
};
