import { afterEach, describe, expect, it } from "vitest";
import { GET as profile } from "@/app/api/v1/dkg/profile/route";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser } from "../helpers/http";

useTestDatabase();

describe("GET /api/v1/dkg/profile", () => {
  const saved = process.env.COUNTERSIGN_MPC_PROFILE;
  afterEach(() => {
    if (saved === undefined) delete process.env.COUNTERSIGN_MPC_PROFILE;
    else process.env.COUNTERSIGN_MPC_PROFILE = saved;
  });

  it("tells a signed-in client the prime size of key generation without creating a signer", async () => {
    const { cookie, organizationId } = await makeUser();
    delete process.env.COUNTERSIGN_MPC_PROFILE;
    const r = await call(profile, "GET", "/api/v1/dkg/profile", { cookie });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ profile: "production", primeBits: 1536, primesPerParty: 4 });
    process.env.COUNTERSIGN_MPC_PROFILE = "fast-test";
    expect((await call(profile, "GET", "/api/v1/dkg/profile", { cookie })).json).toMatchObject({ profile: "fast-test", primeBits: 1024 });
    const { secret } = await makeApiKey(organizationId, ["signers:read"]);
    expect((await call(profile, "GET", "/api/v1/dkg/profile", { apiKey: secret })).status).toBe(200);
    expect((await call(profile, "GET", "/api/v1/dkg/profile")).status).toBe(401);
  });
});
