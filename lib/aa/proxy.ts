/**
 * Seed 003's account-abstraction proxy (`/api/aa/*`): which bundler and paymaster serve a chain,
 * the checks every proxied call passes (origin, proxy token, method allow-list), and the
 * forwarding itself. Upstreams: BUNDLER_RPC_URL / PAYMASTER_RPC_URL (`{chainId}` replaced; npm start
 * points BUNDLER_RPC_URL at its local Alto), and this server's own verifying paymaster on chains
 * where it is deployed (lib/aa/paymaster.ts).
 */
import { getAddress, type Address, type Hex } from "viem";
import { env } from "@/lib/config/env";
import type { Db, DbOrTx } from "@/lib/db/client";
import { publicClientFor, type Network } from "@/lib/chain/networks";
import { toNetwork } from "@/lib/chain/network-registry";
import { ApiError, BadRequestError, ForbiddenError, NotConfiguredError } from "@/lib/http/errors";
import { AA_ERRORS, AA_TOKEN_HEADER, BUNDLER_METHODS, isAllowed, methodNotAllowed, PAYMASTER_METHODS, sameOrigin, servesAnyChain, upstreamUrl } from "./model";
import { budgetWei, paymasterRpc, RpcError, type LocalPaymaster } from "./paymaster";
import { verifyProxyToken, type ProxyTokenClaims } from "./token";

export type JsonRpcRequest = { jsonrpc: "2.0"; id?: string | number | null; method: string; params?: unknown };

class RpcFailureError extends ApiError {
  constructor(cause?: unknown) {
    super(500, AA_ERRORS.rpcFailure, { cause });
  }
}

const UPSTREAM_TIMEOUT_MS = 30_000;

type ChainAa = { chainId: number; network: Network; bundlerUrl: string | null; paymasterUrl: string | null; local: LocalPaymaster | null };

/** The chain's row (400 for a chain the network registry does not know or has disabled). */
async function chainRow(db: DbOrTx, chainId: number) {
  const row = await db.network.findUnique({ where: { chainId } });
  if (!row || !row.enabled) throw new BadRequestError(`Unsupported chain ${chainId}`, [{ field: "query.chainId", message: `Chain ${chainId} is not in the network registry` }]);
  return row;
}

const upstreamChain = new Map<string, Promise<number | null>>();

/** A single-chain upstream (no `{chainId}` in its URL) serves only the chain it answers eth_chainId with. */
async function upstreamServes(url: string, chainId: number): Promise<boolean> {
  let known = upstreamChain.get(url);
  if (!known) {
    known = rpc(url, { jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] })
      .then((r) => (typeof r.body.result === "string" ? Number.parseInt(r.body.result, 16) : null))
      .catch(() => null);
    upstreamChain.set(url, known);
    void known.then((v) => v === null && upstreamChain.delete(url));
  }
  return (await known) === chainId;
}

export async function aaForChain(db: DbOrTx, chainId: number): Promise<ChainAa> {
  const row = await chainRow(db, chainId);
  const e = env();
  const pick = async (template: string | undefined) => {
    if (!template) return null;
    if (servesAnyChain(template)) return upstreamUrl(template, chainId);
    return (await upstreamServes(template, chainId)) ? template : null;
  };
  const local = !e.PAYMASTER_RPC_URL && row.aaPaymaster && row.aaEntryPoint ? { chainId, entryPoint: getAddress(row.aaEntryPoint), paymaster: getAddress(row.aaPaymaster) } : null;
  return { chainId, network: toNetwork(row), bundlerUrl: await pick(e.BUNDLER_RPC_URL), paymasterUrl: await pick(e.PAYMASTER_RPC_URL), local };
}

/** 403 unless the request comes from the app's own origin. */
export function requireAppOrigin(req: Request): void {
  if (!sameOrigin(req.headers.get("origin"), env().origin)) throw new ForbiddenError(AA_ERRORS.origin);
}

async function rpc(url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS) });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`upstream answered ${res.status} with a non-JSON body`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error(`upstream answered ${res.status} with a non-object body`);
  return { status: res.status, body: parsed as Record<string, unknown> };
}

async function forward(url: string, request: JsonRpcRequest): Promise<{ status: number; body: Record<string, unknown> }> {
  try {
    const r = await rpc(url, { jsonrpc: "2.0", id: request.id ?? null, method: request.method, params: request.params ?? [] });
    // JSON-RPC errors travel in the body; an upstream 5xx is an RPC failure here, a 4xx its own answer.
    if (r.status >= 500) throw new Error(`upstream answered ${r.status}`);
    return { status: 200, body: r.body };
  } catch (err) {
    throw new RpcFailureError(err);
  }
}

/** The checks before any forwarding: token (401), origin (403), allow-list (400), configuration (503). */
async function admit(db: Db, req: Request, chainId: number, method: string, list: readonly string[]): Promise<{ claims: ProxyTokenClaims; chain: ChainAa }> {
  const claims = await verifyProxyToken(req.headers.get(AA_TOKEN_HEADER), chainId);
  requireAppOrigin(req);
  if (!isAllowed(list, method)) throw new BadRequestError(methodNotAllowed(method), [{ field: "body.method", message: `Allowed: ${list.join(", ")}` }]);
  return { claims, chain: await aaForChain(db, chainId) };
}

/** POST /api/aa/bundler */
export async function proxyBundler(db: Db, req: Request, chainId: number, request: JsonRpcRequest) {
  const { chain } = await admit(db, req, chainId, request.method, BUNDLER_METHODS);
  if (!chain.bundlerUrl) throw new NotConfiguredError(AA_ERRORS.notConfigured);
  return forward(chain.bundlerUrl, request);
}

/** POST /api/aa/paymaster */
export async function proxyPaymaster(db: Db, req: Request, chainId: number, request: JsonRpcRequest) {
  const { claims, chain } = await admit(db, req, chainId, request.method, PAYMASTER_METHODS);
  if (chain.paymasterUrl) return forward(chain.paymasterUrl, request);
  if (!chain.local) throw new NotConfiguredError(AA_ERRORS.notConfigured);
  const bundlerUrl = chain.bundlerUrl;
  const estimate = bundlerUrl
    ? async (op: Record<string, unknown>, entryPoint: Address) => {
        const r = await forward(bundlerUrl, { jsonrpc: "2.0", id: 1, method: "eth_estimateUserOperationGas", params: [op, entryPoint] });
        const error = r.body.error as { code?: number; message?: string } | undefined;
        if (error) throw new RpcError(typeof error.code === "number" ? error.code : -32603, String(error.message ?? "Gas estimation failed"));
        return r.body.result as Record<string, Hex>;
      }
    : undefined;
  try {
    const client = publicClientFor(chain.network);
    const result = await paymasterRpc({ db, pm: chain.local, organizationId: claims.organizationId, budget: budgetWei(env().AA_SPONSOR_BUDGET_WEI), estimate, client }, request.method, request.params);
    return { status: 200, body: { jsonrpc: "2.0", id: request.id ?? null, result } };
  } catch (err) {
    if (err instanceof RpcError) return { status: 200, body: { jsonrpc: "2.0", id: request.id ?? null, error: { code: err.code, message: err.message } } };
    throw err;
  }
}

/** POST /api/aa/token: the chain must have a bundler or a paymaster (else 503). */
export async function requireAaConfigured(db: Db, chainId: number): Promise<void> {
  const chain = await aaForChain(db, chainId);
  if (!chain.bundlerUrl && !chain.paymasterUrl && !chain.local) throw new NotConfiguredError(AA_ERRORS.notConfigured);
}
