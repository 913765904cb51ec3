/**
 * Every rate limit of the product as one Markdown table, for README's security section (kept equal
 * by tests/http/rate-limit-table.test.ts; `npx tsx tools/rate-limit-table.ts --write` rewrites it).
 * Route rules come from the contracts; the limits applied outside contracts are listed beside them.
 */
import { allContracts } from "@/lib/api";
import { SIGN_IN_FLOOD, SIGN_IN_TRUSTED } from "@/lib/auth/sign-in-rules";
import { CREDENTIAL_FAILURES } from "@/lib/security/credential-failures";
import { CHAIN_VERIFY_LIMIT } from "@/lib/demo/chain-verify";
import type { RateLimitRule } from "./contract";
import { RATE_LIMIT_STAGE } from "./rate-limit";

const STAGE_LABEL = { request: "before authentication", authenticated: "after authentication", parsed: "after parsing" } as const;

const KEY_LABEL: Record<RateLimitRule["by"], string> = {
  ip: "client address",
  principal: "caller (user, API/signer key, agent token, signed agent), else client address",
  agent: "agent named in the request, else client address",
  sid: "SID named in the request, else client address",
  nullifier: "human nullifier in the request, else client address",
  account: "client address + account (email, passkey credential id or wallet address), else client address",
};

function window(seconds: number): string {
  return seconds % 3600 === 0 ? `${seconds / 3600} h` : seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

export const README_BEGIN = "<!-- rate-limit-table:begin (generated from the code: npx tsx tools/rate-limit-table.ts --write) -->";
export const README_END = "<!-- rate-limit-table:end -->";

export function rateLimitTable(): string {
  const rows = new Map<string, { rule: RateLimitRule; routes: string[] }>();
  for (const c of allContracts) {
    const rules = c.rateLimit === undefined ? [] : Array.isArray(c.rateLimit) ? (c.rateLimit as readonly RateLimitRule[]) : [c.rateLimit as RateLimitRule];
    for (const rule of rules) {
      const id = `${rule.name}|${rule.by}|${rule.limit}|${rule.windowSeconds}`;
      const row = rows.get(id) ?? { rule, routes: [] };
      row.routes.push(`${c.method} ${c.path}`);
      rows.set(id, row);
    }
  }
  const lines = [
    "| Stage | Counter | Key | Limit | Window | Where |",
    "| --- | --- | --- | --- | --- | --- |",
    ...[...rows.values()]
      .sort((a, b) => a.rule.name.localeCompare(b.rule.name) || a.rule.by.localeCompare(b.rule.by))
      .map(({ rule, routes }) => `| ${STAGE_LABEL[RATE_LIMIT_STAGE[rule.by]]} | \`${rule.name}\` | ${KEY_LABEL[rule.by]} | ${rule.limit} | ${window(rule.windowSeconds)} | ${[...routes].sort().map((r) => `\`${r}\``).join(", ")} |`),
    `| authentication failed | \`${CREDENTIAL_FAILURES.name}\` | client address | ${CREDENTIAL_FAILURES.limit} failed API-key / signer-key / SCIM-token / agent-token authentications, then 429 for that address's failed attempts | ${window(CREDENTIAL_FAILURES.windowSeconds)} | every route taking machine credentials (valid keys are never refused) |`,
    `| before a sign-in check | \`${SIGN_IN_FLOOD.name}\` | all addresses and accounts together | ${SIGN_IN_FLOOD.limit} failed sign-ins trip the flood circuit: addresses without a successful sign-in in the last ${window(SIGN_IN_TRUSTED.rememberSeconds)} (\`${SIGN_IN_TRUSTED.name}\`) get 429 until a full window passes under it | ${window(SIGN_IN_FLOOD.windowSeconds)} | \`POST /api/v1/auth/passkey/login\`, \`POST /api/v1/auth/siwe/verify\` |`,
    `| after the contract accepts a simulation | \`${CHAIN_VERIFY_LIMIT.name}\` | human nullifier of the signed agent (read on-chain) | ${CHAIN_VERIFY_LIMIT.limit} meta-transaction relays | ${window(CHAIN_VERIFY_LIMIT.windowSeconds)} | \`POST /api/demo/chain-verify\`, \`POST /api/demo/chain-verify-ed25519\` |`,
    `| before authentication | \`auth\` (shared) | client address | the \`auth\` row above | | next-auth's \`POST /api/auth/*\` |`,
  ];
  return lines.join("\n");
}

/** README with the table between the markers replaced by `table`. */
export function withTable(readme: string, table = rateLimitTable()): string {
  const a = readme.indexOf(README_BEGIN);
  const b = readme.indexOf(README_END);
  if (a < 0 || b < a) throw new Error("README has no rate-limit table markers");
  return `${readme.slice(0, a + README_BEGIN.length)}\n${table}\n${readme.slice(b)}`;
}
