import type { ApiKey } from "../api/types";

export type ApiKeyStatus = "active" | "revoked" | "expired";

export function apiKeyStatus(key: Pick<ApiKey, "revokedAt" | "expiresAt">, now: Date = new Date()): ApiKeyStatus {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && new Date(key.expiresAt).getTime() <= now.getTime()) return "expired";
  return "active";
}

/** How a stored key is shown after creation: only its public prefix, never the secret. */
export function maskedKey(prefix: string): string {
  return `${prefix}…`;
}

export const EXPIRY_OPTIONS = [
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "365", label: "1 year" },
  { value: "never", label: "Never" },
] as const;

export type ExpiryChoice = (typeof EXPIRY_OPTIONS)[number]["value"];

export interface CreateApiKeyInput {
  name: string;
  scopes: string[];
  expiresInDays?: number;
}

export type CreateApiKeyErrors = Partial<Record<"name" | "scopes", string>>;

export function buildCreateApiKeyInput(
  name: string,
  scopes: readonly string[],
  expiry: ExpiryChoice,
): { input: CreateApiKeyInput; errors: CreateApiKeyErrors } {
  const trimmed = name.trim();
  const errors: CreateApiKeyErrors = {};
  if (!trimmed) errors.name = "Give the key a name so you can recognise it later.";
  else if (trimmed.length > 64) errors.name = "Keep the name under 64 characters.";
  if (scopes.length === 0) errors.scopes = "Choose at least one scope.";
  const input: CreateApiKeyInput = { name: trimmed, scopes: [...scopes] };
  if (expiry !== "never") input.expiresInDays = Number(expiry);
  return { input, errors };
}
