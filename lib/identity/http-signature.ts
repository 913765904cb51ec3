/**
 * RFC 9421 HTTP Message Signatures (Ed25519) as a second, standard header format for signed agent
 * requests. Pure and isomorphic. An agent signs the components
 *   ("@method" "@path" "@query" "content-digest")
 * with `created` (Unix seconds), `keyid` = its Ed25519 public key (0x hex) and `alg="ed25519"`;
 * `content-digest` is RFC 9530's `sha-256=:<base64>:` of the body. The verifier
 * (verify-request.ts) rebuilds the signature base from the request it received, so a changed
 * method, path, query or body fails, and applies the same window, registry checks and replay cache
 * as for x-self-agent-* headers (the agent is the registry's address derived from the key).
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes, toBytes, type Hex } from "viem";

export const SIGNATURE_LABEL = "sig1";
export const AGENT_COMPONENTS = ["@method", "@path", "@query", "content-digest"] as const;

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

export function contentDigest(body: string | Uint8Array | null | undefined): string {
  const bytes = body == null ? new Uint8Array() : typeof body === "string" ? toBytes(body) : body;
  return `sha-256=:${b64(sha256(bytes))}:`;
}

export type SignatureParams = { components: readonly string[]; created: number; keyid: string; alg?: string };

/** The serialized signature parameters (RFC 9421 §2.3). */
export function serializeParams(p: SignatureParams): string {
  return `(${p.components.map((c) => `"${c}"`).join(" ")});created=${p.created};keyid="${p.keyid}"${p.alg ? `;alg="${p.alg}"` : ""}`;
}

/** The signature base (RFC 9421 §2.5) from component values, in the order of `p.components`. */
export function signatureBase(values: Record<string, string>, p: SignatureParams, paramsText: string = serializeParams(p)): string {
  const lines = p.components.map((c) => {
    const v = values[c];
    if (v === undefined) throw new Error(`missing component ${c}`);
    return `"${c}": ${v}`;
  });
  return [...lines, `"@signature-params": ${paramsText}`].join("\n");
}

/** Component values of a request for the agent components. */
export function agentComponentValues(req: { method: string; url: string | URL; body?: string | Uint8Array | null; contentDigest?: string | null }): Record<string, string> {
  const u = typeof req.url === "string" ? new URL(req.url, "http://localhost") : req.url;
  return {
    "@method": req.method.toUpperCase(),
    "@path": u.pathname,
    "@query": u.search || "?",
    "content-digest": req.contentDigest ?? contentDigest(req.body),
  };
}

/** Signature-Input, Signature and Content-Digest headers for a request, signed with an Ed25519 seed. */
export function signRfc9421(secretKey: Hex, req: { method: string; url: string | URL; body?: string | Uint8Array | null; created?: number }): Record<string, string> {
  const seed = hexToBytes(secretKey);
  const keyid = bytesToHex(ed25519.getPublicKey(seed));
  const p: SignatureParams = { components: AGENT_COMPONENTS, created: req.created ?? Math.floor(Date.now() / 1000), keyid, alg: "ed25519" };
  const values = agentComponentValues(req);
  const sig = ed25519.sign(toBytes(signatureBase(values, p)), seed);
  return { "content-digest": values["content-digest"]!, "signature-input": `${SIGNATURE_LABEL}=${serializeParams(p)}`, signature: `${SIGNATURE_LABEL}=:${b64(sig)}:` };
}

export type ParsedSignature = { params: SignatureParams; signature: Uint8Array; paramsText: string };

/**
 * Parses one labelled signature from Signature-Input / Signature (a restricted reading of the
 * structured fields: inner list of quoted components, integer and string parameters). Null when
 * the headers are absent or malformed.
 */
export function parseSignatureHeaders(input: string | null, signature: string | null): ParsedSignature | null {
  if (!input || !signature) return null;
  const mi = /^([a-z][a-z0-9_-]*)=(\((?:"[^"\s]+"(?: "[^"\s]+")*)?\)((?:;[a-z][a-z0-9_-]*=(?:"[^"]*"|\d{1,15}))*))$/.exec(input.trim());
  if (!mi) return null;
  const ms = new RegExp(`^${mi[1]}=:([A-Za-z0-9+/]+={0,2}):$`).exec(signature.trim());
  if (!ms) return null;
  const list = mi[2]!.slice(0, mi[2]!.length - mi[3]!.length);
  const components = [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
  const params: Record<string, string> = {};
  for (const m of mi[3]!.matchAll(/;([a-z][a-z0-9_-]*)=(?:"([^"]*)"|(\d+))/g)) params[m[1]!] = m[2] ?? m[3]!;
  if (!params.created || !/^\d+$/.test(params.created) || !params.keyid) return null;
  return {
    params: { components, created: Number(params.created), keyid: params.keyid, ...(params.alg ? { alg: params.alg } : {}) },
    signature: new Uint8Array(Buffer.from(ms[1]!, "base64")),
    paramsText: mi[2]!,
  };
}
