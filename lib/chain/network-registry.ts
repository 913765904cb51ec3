import { readFileSync } from "node:fs";
import { z } from "zod";
import type { DbOrTx } from "@/lib/db/client";
import { BadRequestError, NotFoundError } from "@/lib/http/errors";
import { defaultNetworksFor, networkSchema, type Network } from "./networks";

/**
 * The instance's networks live in the `networks` table so every app instance sees the same list.
 * `npm start` syncs them at start-up: the devnet it launched, plus any in COUNTERSIGN_NETWORKS_FILE
 * (a JSON array of { chainId, name, rpcUrl, explorerUrl?, nativeCurrency, enabled, isDevnet }).
 */
export function configuredNetworks(env: Record<string, string | undefined>): Network[] {
  const byChain = new Map<number, Network>(defaultNetworksFor(env).map((n) => [n.chainId, n]));
  const file = env.COUNTERSIGN_NETWORKS_FILE;
  if (file) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, "utf8"));
    } catch (err) {
      throw new Error(`COUNTERSIGN_NETWORKS_FILE ${file}: ${(err as Error).message}`);
    }
    const parsed = z.array(networkSchema).safeParse(raw);
    if (!parsed.success) throw new Error(`COUNTERSIGN_NETWORKS_FILE ${file}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    for (const n of parsed.data) byChain.set(n.chainId, n);
  }
  return [...byChain.values()];
}

export async function syncNetworks(db: DbOrTx, networks: Network[]): Promise<void> {
  for (const n of networks) {
    const data = {
      name: n.name,
      rpcUrl: n.rpcUrl,
      explorerUrl: n.explorerUrl ?? null,
      nativeName: n.nativeCurrency.name,
      nativeSymbol: n.nativeCurrency.symbol,
      nativeDecimals: n.nativeCurrency.decimals,
      enabled: n.enabled,
      isDevnet: n.isDevnet,
    };
    await db.network.upsert({ where: { chainId: n.chainId }, create: { chainId: n.chainId, ...data }, update: data });
  }
}

type NetworkRow = { chainId: number; name: string; rpcUrl: string; explorerUrl: string | null; nativeName: string; nativeSymbol: string; nativeDecimals: number; enabled: boolean; isDevnet: boolean };

export function toNetwork(r: NetworkRow): Network {
  return {
    chainId: r.chainId,
    name: r.name,
    rpcUrl: r.rpcUrl,
    ...(r.explorerUrl ? { explorerUrl: r.explorerUrl } : {}),
    nativeCurrency: { name: r.nativeName, symbol: r.nativeSymbol, decimals: r.nativeDecimals },
    enabled: r.enabled,
    isDevnet: r.isDevnet,
  };
}

export async function listEnabledNetworks(db: DbOrTx): Promise<Network[]> {
  const rows = await db.network.findMany({ where: { enabled: true }, orderBy: { chainId: "asc" } });
  return rows.map(toNetwork);
}

/** An enabled network, or a 400 naming the field that chose it. */
export async function requireNetwork(db: DbOrTx, chainId: number, field = "body.chainId"): Promise<Network> {
  const row = await db.network.findUnique({ where: { chainId } });
  if (!row || !row.enabled) throw new BadRequestError(`Network ${chainId} is not enabled`, [{ field, message: `Unknown or disabled network ${chainId}` }]);
  return toNetwork(row);
}

export async function getNetwork(db: DbOrTx, chainId: number): Promise<Network> {
  const row = await db.network.findUnique({ where: { chainId } });
  if (!row) throw new NotFoundError(`Network ${chainId} not found`);
  return toNetwork(row);
}
