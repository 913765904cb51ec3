import { describe, expect, it } from "vitest";
import type { Principal } from "@/lib/http/principal";
import { principalKey } from "@/lib/http/principal-key";
import { rateLimitSubject } from "@/lib/http/rate-limit";

const principals: Record<Principal["type"], Principal> = {
  user: { type: "user", userId: "u-1", organizationId: "o-1", role: "owner", session: {} as never },
  credential: { type: "credential", organizationId: "o-1", credential: { id: "c-1", organizationId: "o-1", kind: "organization_key", name: "k", prefix: "cso_x", scopes: [], subjectType: null, subjectId: null } },
  agent: { type: "agent", agentId: "a-1", organizationId: "o-1", scopes: [], tokenId: "t-1" },
  signed_agent: { type: "signed_agent", organizationId: null, agent: { agentAddress: "0xAbCdEf0000000000000000000000000000000001", chainId: null, agentId: null, recordId: null, organizationId: null } },
  anonymous: { type: "anonymous" },
};

describe("principalKey (one helper for the request log and the limiter)", () => {
  it("names every principal type; anonymous callers have none", () => {
    expect(Object.fromEntries(Object.entries(principals).map(([t, p]) => [t, principalKey(p)]))).toEqual({
      user: "u-1",
      credential: "c-1",
      agent: "agent:a-1",
      signed_agent: "signed_agent:0xabcdef0000000000000000000000000000000001",
      anonymous: undefined,
    });
  });

  it("keys `principal` rate limits, falling back to the client address", () => {
    const rule = { name: "r", limit: 1, windowSeconds: 60, by: "principal" } as const;
    expect(rateLimitSubject(rule, { ip: "192.0.2.1", principal: principals.signed_agent })).toBe("signed_agent:0xabcdef0000000000000000000000000000000001");
    expect(rateLimitSubject(rule, { ip: "192.0.2.1", principal: principals.anonymous })).toBe("192.0.2.1");
  });
});
