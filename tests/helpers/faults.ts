import { afterAll, beforeAll } from "vitest";
import { startOwnPostgres, type OwnPostgres } from "./fault-rig";

export * from "./fault-rig";

/** For a fault-test file: its own PostgreSQL cluster (tests/helpers/fault-rig.ts), stopped after the file. */
export function useOwnPostgres(opts: { poolMax?: number } = {}): { current: OwnPostgres } {
  const holder = {} as { current: OwnPostgres };
  beforeAll(async () => {
    holder.current = await startOwnPostgres(opts);
  });
  afterAll(async () => {
    const { disconnectDb } = await import("@/lib/db/client");
    await disconnectDb().catch(() => undefined);
    holder.current?.server.stop();
  });
  return holder;
}
