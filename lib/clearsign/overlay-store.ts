/**
 * The clear-signing overlay in the database (I/O): an organization's own ERC-7730 calldata
 * descriptors, and the `overlay` registry built from them. Validation stays pure in
 * validate-descriptor.ts; rendering and precedence in resolve-action.ts.
 *
 * Precedence: resolveActions is given [overlay, vendor]. Deployment-bound descriptors of every
 * registry are searched before generic ones, in that order, so an overlay bound to the call's
 * (chainId, address) that formats its selector beats the vendor descriptor for that call (bound or
 * generic, e.g. the generic ERC-20 `transfer`); selectors the overlay does not format still fall
 * through to the vendor registry. Within one organization two overlays may not claim the same
 * (chainId, address, selector).
 */
import type { Prisma } from "@/lib/generated/prisma/client";
import type { DbOrTx } from "@/lib/db/client";
import { BadRequestError, ConflictError, NotFoundError } from "@/lib/http/errors";
import { indexFormats } from "./format-index";
import { DescriptorRegistry } from "./registry";
import type { Descriptor } from "./types";
import { validateUploadedDescriptor } from "./validate-descriptor";

/** How many live descriptors one organization may keep. */
export const MAX_OVERLAY_DESCRIPTORS = 200;

type Row = { id: string; descriptor: unknown; deployments: string[]; createdAt: Date; updatedAt: Date };

function deploymentKey(chainId: number, address: string): string {
  return `${chainId}:${address.toLowerCase()}`;
}

function parseKey(key: string): { chainId: number; address: string } {
  const [chain = "0", address = ""] = key.split(":");
  return { chainId: Number(chain), address };
}

function intentText(intent: unknown): string | null {
  if (typeof intent === "string") return intent;
  if (intent && typeof intent === "object") {
    const first = Object.values(intent as Record<string, unknown>)[0];
    return typeof first === "string" ? first : null;
  }
  return null;
}

/** The API shape of one overlay descriptor (without the descriptor JSON unless asked). */
export function publicDescriptor(row: Row, opts: { withDescriptor?: boolean } = {}) {
  const d = row.descriptor as Descriptor;
  const metadata = d.metadata ?? {};
  const functions = [...indexFormats(d).values()].map((b) => ({
    signature: `${b.fn.name}(${b.fn.inputs.map((i) => i.type).join(",")})`,
    selector: b.selector,
    key: b.key,
    intent: intentText(b.format.intent),
  }));
  return {
    id: row.id,
    source: "overlay" as const,
    owner: typeof metadata.owner === "string" ? metadata.owner : null,
    contractName: typeof metadata.contractName === "string" ? metadata.contractName : null,
    deployments: row.deployments.map(parseKey),
    functions,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    ...(opts.withDescriptor ? { descriptor: row.descriptor as Record<string, unknown> } : {}),
  };
}

export async function listOverlayDescriptors(db: DbOrTx, organizationId: string) {
  return db.clearSignDescriptor.findMany({ where: { organizationId, deletedAt: null }, orderBy: { createdAt: "asc" } });
}

/**
 * Validates and stores a descriptor: 400 naming each problem (body.descriptor.<path>), 409 when
 * another of the organization's overlays already formats one of its (chain, address, selector).
 */
export async function addOverlayDescriptor(db: DbOrTx, input: { organizationId: string; descriptor: unknown; createdById: string | null }) {
  const result = await validateUploadedDescriptor(input.descriptor);
  if (!result.ok) {
    const first = result.violations[0]!;
    throw new BadRequestError(
      `Invalid ERC-7730 descriptor: ${first.path} ${first.message}${result.violations.length > 1 ? ` (and ${result.violations.length - 1} more)` : ""}`,
      result.violations.map((v) => ({ field: `body.${v.path}`, message: v.message })),
    );
  }
  const { descriptor, deployments, functions } = result.value;
  const keys = [...new Set(deployments.map((d) => deploymentKey(d.chainId, d.address)))];
  const existing = await listOverlayDescriptors(db, input.organizationId);
  if (existing.length >= MAX_OVERLAY_DESCRIPTORS) throw new ConflictError(`An organization may keep at most ${MAX_OVERLAY_DESCRIPTORS} descriptors; remove one first`);
  const selectors = new Set(functions.map((f) => f.selector));
  for (const row of existing) {
    const shared = row.deployments.filter((k) => keys.includes(k));
    if (shared.length === 0) continue;
    const clash = [...indexFormats(row.descriptor as Descriptor).keys()].find((s) => selectors.has(s));
    if (clash) throw new ConflictError(`Descriptor ${row.id} already formats selector ${clash} at ${shared[0]}; remove it first to replace it`);
  }
  return db.clearSignDescriptor.create({
    data: { organizationId: input.organizationId, descriptor: descriptor as unknown as Prisma.InputJsonValue, deployments: keys, createdById: input.createdById },
  });
}

/** Soft-deletes one of the organization's descriptors; another organization's id is a 404. */
export async function removeOverlayDescriptor(db: DbOrTx, organizationId: string, id: string) {
  const row = await db.clearSignDescriptor.findFirst({ where: { id, organizationId, deletedAt: null } });
  if (!row) throw new NotFoundError("Descriptor not found");
  return db.clearSignDescriptor.update({ where: { id: row.id }, data: { deletedAt: new Date() } });
}

/** The organization's live descriptors as the `overlay` registry (descriptor ids are the row ids). */
export async function overlayRegistry(db: DbOrTx, organizationId: string): Promise<DescriptorRegistry> {
  const rows = await listOverlayDescriptors(db, organizationId);
  return new DescriptorRegistry(
    "overlay",
    rows.map((r) => ({ id: r.id, descriptor: r.descriptor as Descriptor })),
  );
}
