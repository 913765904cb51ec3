import { FAST_TEST, PRODUCTION, type SecurityProfile } from "@/lib/mpc";

/**
 * The product uses the production profile (1536-bit safe primes) only. Tests may switch to the
 * fast profile, which differs only in prime size; outside NODE_ENV=test that needs the explicit
 * COUNTERSIGN_ALLOW_FAST_TEST_PROFILE=1 (set by the end-to-end test server, never in production).
 */
export function mpcProfile(): SecurityProfile {
  if (process.env.COUNTERSIGN_MPC_PROFILE !== "fast-test") return PRODUCTION;
  if (process.env.NODE_ENV === "test" || process.env.COUNTERSIGN_ALLOW_FAST_TEST_PROFILE === "1") return FAST_TEST;
  throw new Error("COUNTERSIGN_MPC_PROFILE=fast-test is for tests only");
}
