/**
 * Is this error the database being unavailable (down, restarting, unreachable, out of connections,
 * too slow) rather than a bug or bad data? Such errors become 503 with Retry-After
 * (lib/http/respond.ts), so a client retries instead of treating them as final. Pure: it reads the
 * error chain only (Prisma's error, the driver adapter's, node-postgres's and the socket's).
 */

/** @prisma/adapter-pg's error kinds for connection trouble. */
const UNAVAILABLE_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections", "TlsConnectionError"]);
/**
 * Prisma codes: can't reach, timed out, server closed the connection, no pool connection in time, and
 * an interactive transaction that could not start (or finish) in its time: a saturated database.
 */
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2028"]);
/** SQLSTATE: connection exceptions (08…), too many connections, statement timeout, shutdown or starting up. */
const SQLSTATE = /^(08...|53300|57014|57P01|57P02|57P03)$/;
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);
/** node-postgres's own messages when a connection dies or a wait runs out. */
const MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Can't reach database server|Client has encountered a connection error|Connection is not open|the database system is (starting up|shutting down|in recovery mode)|terminating connection due to administrator command/i;

type Node = { code?: unknown; kind?: unknown; originalCode?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };

export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length) {
    const e = queue.shift();
    if (!e || typeof e !== "object" || seen.has(e) || seen.size > 16) continue;
    seen.add(e);
    const n = e as Node;
    if (typeof n.kind === "string" && UNAVAILABLE_KINDS.has(n.kind)) return true;
    for (const code of [n.code, n.originalCode]) {
      if (typeof code !== "string") continue;
      if (PRISMA_CODES.has(code) || SOCKET_CODES.has(code) || SQLSTATE.test(code)) return true;
    }
    if (typeof n.message === "string" && MESSAGES.test(n.message)) return true;
    queue.push(n.cause, n.meta?.driverAdapterError);
  }
  return false;
}
