import { dkgProfile } from "@/lib/api/dkg-profile";
import { handle } from "@/lib/http/handle";
import { mpcProfile } from "@/lib/signing/profile";

export const dynamic = "force-dynamic";

export const GET = handle(dkgProfile, async () => {
  const p = mpcProfile();
  return { status: 200, body: { profile: p.name as "production" | "fast-test", primeBits: p.primeBits, primesPerParty: 4 as const } };
});
