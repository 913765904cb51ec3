/**
 * Sign-in limits (issue #12). Three layers, all counted in rate_limit_buckets (lib/http/rate-limit.ts)
 * so every app instance shares them:
 *   1. per client address, every sign-in route: `auth` (lib/api/auth.ts) — one address cannot flood;
 *   2. per client address + account (email, passkey credential id, wallet address), on the routes
 *      that check a credential: SIGN_IN_ACCOUNT below — a client hammering account X from address A
 *      uses up only A's attempts at X, never B's attempts at Y;
 *   3. a circuit for distributed floods: when failed sign-ins across all addresses reach
 *      SIGN_IN_FLOOD.limit in a minute, sign-in attempts from addresses that have not signed in
 *      successfully within SIGN_IN_TRUSTED.rememberSeconds are refused (429 + Retry-After) until a
 *      full minute passes under the threshold; addresses with a recent success sign in as usual.
 * The client address is the socket's (lib/http/client-address.ts): headers a client sets do not move it.
 */
import { db } from "@/lib/db/client";
import { ApiError, TooManyRequestsError } from "@/lib/http/errors";
import { countHit, enforceRateLimit } from "@/lib/http/rate-limit";
import { requestContext } from "@/lib/http/request-context";
import { toErrorResponse } from "@/lib/http/respond";
import { log } from "@/lib/log/logger";
import { SIGN_IN_ADDRESS, SIGN_IN_FLOOD, SIGN_IN_TRUSTED } from "./sign-in-rules";

export { SIGN_IN_ACCOUNT, SIGN_IN_ADDRESS, SIGN_IN_FLOOD, SIGN_IN_TRUSTED } from "./sign-in-rules";

const FLOOD_SUBJECT = "all";

const subjectOf = (ip: string | null) => ip ?? "unknown";

/** Whether this address signed in successfully within SIGN_IN_TRUSTED.rememberSeconds. */
async function recentlySignedIn(ip: string | null, now: number): Promise<boolean> {
  const rows = await db().$queryRaw<{ one: number }[]>`
    SELECT 1 AS "one" FROM "rate_limit_buckets"
    WHERE "key" = ${`${SIGN_IN_TRUSTED.name}:${subjectOf(ip)}`} AND "window_start" > ${new Date(now - SIGN_IN_TRUSTED.rememberSeconds * 1000)}
    LIMIT 1`;
  return rows.length > 0;
}

/** The flood circuit: refuses this sign-in attempt (429) while tripped, unless the address signed in recently. */
export async function assertNoSignInFlood(ip: string | null, now = Date.now()): Promise<void> {
  const windowMs = SIGN_IN_FLOOD.windowSeconds * 1000;
  const current = Math.floor(now / windowMs) * windowMs;
  const rows = await db().$queryRaw<{ window_start: Date; count: number }[]>`
    SELECT "window_start", "count" FROM "rate_limit_buckets"
    WHERE "key" = ${`${SIGN_IN_FLOOD.name}:${FLOOD_SUBJECT}`} AND "window_start" >= ${new Date(current - windowMs)}`;
  const tripped = rows.filter((r) => Number(r.count) >= SIGN_IN_FLOOD.limit);
  if (tripped.length === 0) return;
  if (await recentlySignedIn(ip, now)) return;
  // Tripped in this window: it stays on through the next one too.
  const untilMs = tripped.some((r) => new Date(r.window_start).getTime() === current) ? current + 2 * windowMs : current + windowMs;
  throw new TooManyRequestsError((untilMs - now) / 1000, SIGN_IN_FLOOD.message);
}

/** Counts one failed sign-in towards the flood circuit. */
export async function recordSignInFailure(now = Date.now()): Promise<void> {
  const { count } = await countHit(SIGN_IN_FLOOD, FLOOD_SUBJECT, now);
  if (count === SIGN_IN_FLOOD.limit) log.warn("sign-in flood circuit tripped", { failuresPerMinute: count });
}

/** Remembers that this address signed in successfully. */
export async function recordSignInSuccess(ip: string | null, now = Date.now()): Promise<void> {
  await countHit(SIGN_IN_TRUSTED, subjectOf(ip), now);
}

/**
 * Runs one sign-in attempt under the flood circuit: refused while it is tripped (unless the address
 * signed in recently), a 401 counted as a failure, a success remembered for the address.
 */
export async function guardSignIn<T>(ip: string | null, attempt: () => Promise<T>): Promise<T> {
  await assertNoSignInFlood(ip);
  let result: T;
  try {
    result = await attempt();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) await recordSignInFailure();
    throw err;
  }
  await recordSignInSuccess(ip);
  return result;
}

/**
 * For a route handler that does not go through handle() (next-auth's): counts each request against
 * the per-address sign-in limit (SIGN_IN_ADDRESS) first, answering 429 + Retry-After when used up.
 */
export function withSignInAddressLimit<A extends unknown[]>(handler: (req: Request, ...rest: A) => Promise<Response>) {
  return async (req: Request, ...rest: A): Promise<Response> => {
    const ctx = requestContext(req);
    try {
      await enforceRateLimit(SIGN_IN_ADDRESS, ctx.ip ?? "unknown");
    } catch (err) {
      return toErrorResponse(err, ctx.requestId, "error");
    }
    return handler(req, ...rest);
  };
}
