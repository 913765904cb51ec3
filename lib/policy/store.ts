/** Built-in policies in the database (I/O); validation and evaluation stay pure in this folder. */
import type { Prisma } from "@/lib/generated/prisma/client";
import type { DbOrTx } from "@/lib/db/client";
import { BadRequestError, NotFoundError } from "@/lib/http/errors";
import { PolicyValidationError } from "./errors";
import { parsePolicyConfig } from "./schemas";
import { POLICY_TYPES, type PolicyType } from "./types";

/** Validates a config for its type; a bad one is a 400 naming each field (body.config.<path>). */
export function validatePolicyConfig(type: PolicyType, config: unknown): void {
  try {
    parsePolicyConfig(type, config);
  } catch (err) {
    if (err instanceof PolicyValidationError) {
      throw new BadRequestError(err.message, err.issues.map((i) => ({ type, field: i.path ? `body.config.${i.path}` : "body.config", message: i.message })));
    }
    throw err;
  }
}

export function publicPolicy(p: { id: string; signerId: string; type: string; config: unknown; enabled: boolean; version: number; createdAt: Date; updatedAt: Date }) {
  return { id: p.id, signerId: p.signerId, type: p.type as PolicyType, config: p.config, enabled: p.enabled, version: p.version, createdAt: p.createdAt.toISOString(), updatedAt: p.updatedAt.toISOString() };
}

export async function listPolicies(db: DbOrTx, signerId: string) {
  return db.policy.findMany({ where: { signerId, deletedAt: null }, orderBy: { createdAt: "asc" } });
}

export async function createPolicy(db: DbOrTx, input: { organizationId: string; signerId: string; type: PolicyType; config: unknown; enabled?: boolean; createdById: string | null }) {
  validatePolicyConfig(input.type, input.config);
  return db.policy.create({
    data: { organizationId: input.organizationId, signerId: input.signerId, type: input.type, config: input.config as Prisma.InputJsonValue, enabled: input.enabled ?? true, createdById: input.createdById },
  });
}

/** A policy of this organization, or 404 (another organization's id is simply not found). */
export async function getPolicy(db: DbOrTx, organizationId: string, id: string) {
  const p = await db.policy.findFirst({ where: { id, organizationId, deletedAt: null } });
  if (!p) throw new NotFoundError("Policy not found");
  return p;
}

export async function updatePolicy(db: DbOrTx, organizationId: string, id: string, patch: { config?: unknown; enabled?: boolean }) {
  const p = await getPolicy(db, organizationId, id);
  if (patch.config !== undefined) validatePolicyConfig(p.type as PolicyType, patch.config);
  return db.policy.update({
    where: { id },
    data: { ...(patch.config !== undefined ? { config: patch.config as Prisma.InputJsonValue } : {}), ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}), version: { increment: 1 } },
  });
}

export async function deletePolicy(db: DbOrTx, organizationId: string, id: string) {
  const p = await getPolicy(db, organizationId, id);
  await db.policy.update({ where: { id }, data: { deletedAt: new Date(), version: { increment: 1 } } });
  return p;
}

export { POLICY_TYPES };
