import { getAddress } from "viem";
import type { DbOrTx } from "@/lib/db/client";
import { ConflictError, NotFoundError } from "@/lib/http/errors";
import { requireNetwork } from "./network-registry";

export type KnownContractInput = { chainId: number; address: string; name: string; description?: string; abi?: unknown[] };

export function publicContract(r: { id: string; chainId: number; address: string; name: string; description: string | null; abi: unknown; createdAt: Date }) {
  return { id: r.id, chainId: r.chainId, address: r.address, name: r.name, description: r.description, abi: (r.abi as unknown[] | null) ?? null, createdAt: r.createdAt.toISOString() };
}

export async function listKnownContracts(db: DbOrTx, organizationId: string, chainId?: number) {
  const rows = await db.knownContract.findMany({ where: { organizationId, ...(chainId !== undefined ? { chainId } : {}) }, orderBy: [{ chainId: "asc" }, { name: "asc" }] });
  return rows.map(publicContract);
}

export async function addKnownContract(db: DbOrTx, organizationId: string, createdById: string | null, input: KnownContractInput) {
  await requireNetwork(db, input.chainId);
  const address = getAddress(input.address);
  const existing = await db.knownContract.findUnique({ where: { organizationId_chainId_address: { organizationId, chainId: input.chainId, address } } });
  if (existing) throw new ConflictError(`${address} on chain ${input.chainId} is already known as "${existing.name}"`);
  const row = await db.knownContract.create({
    data: { organizationId, chainId: input.chainId, address, name: input.name, description: input.description ?? null, abi: (input.abi as object[] | undefined) ?? undefined, createdById },
  });
  return publicContract(row);
}

export async function removeKnownContract(db: DbOrTx, organizationId: string, id: string) {
  const row = await db.knownContract.findFirst({ where: { id, organizationId } });
  if (!row) throw new NotFoundError("Contract not found");
  await db.knownContract.delete({ where: { id } });
  return publicContract(row);
}
