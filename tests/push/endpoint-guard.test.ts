import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/config/env";
import { endpointHostProblem, guardedAgent, isReservedAddress } from "@/lib/push/endpoint-guard";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvCache();
});

function production(allow?: "0" | "1") {
  process.env = { ...saved, NODE_ENV: "production" };
  if (allow) process.env.PUSH_ALLOW_PRIVATE_ENDPOINTS = allow;
  else delete process.env.PUSH_ALLOW_PRIVATE_ENDPOINTS;
  resetEnvCache();
}

describe("push endpoint SSRF guard", () => {
  it("classifies reserved addresses, IPv4-mapped IPv6 included", () => {
    for (const ip of ["127.0.0.1", "10.1.2.3", "172.31.255.255", "192.168.0.10", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "[::1]"]) {
      expect(isReservedAddress(ip), ip).toBe(true);
    }
    for (const ip of ["8.8.8.8", "172.32.0.1", "142.250.0.1", "2607:f8b0::1", "::ffff:8.8.8.8"]) expect(isReservedAddress(ip), ip).toBe(false);
  });

  it("in production refuses private hosts at registration and guards DNS at connect time", () => {
    production();
    expect(endpointHostProblem(new URL("https://fcm.googleapis.com/fcm/send/abc"))).toBeNull();
    expect(endpointHostProblem(new URL("https://127.0.0.1:9/push"))).toMatch(/reserved/);
    expect(endpointHostProblem(new URL("https://[::1]/push"))).toMatch(/reserved/);
    expect(endpointHostProblem(new URL("https://169.254.169.254/latest"))).toMatch(/reserved/);
    expect(endpointHostProblem(new URL("https://localhost/push"))).toMatch(/public/);
    expect(endpointHostProblem(new URL("https://intranet/push"))).toMatch(/public/);
    expect(guardedAgent()).toBeDefined();
  });

  it("lets a local receiver through when allowed (and by default outside production)", () => {
    production("1");
    expect(endpointHostProblem(new URL("https://127.0.0.1:9/push"))).toBeNull();
    expect(guardedAgent()).toBeUndefined();
    process.env = { ...saved, NODE_ENV: "test" };
    delete process.env.PUSH_ALLOW_PRIVATE_ENDPOINTS;
    resetEnvCache();
    expect(endpointHostProblem(new URL("https://localhost/push"))).toBeNull();
  });

  it("refuses at connect time a name that resolves to a reserved address", async () => {
    production();
    const agent = guardedAgent()!;
    const { request } = await import("node:https");
    const err = await new Promise<Error>((resolve) => {
      const req = request("https://localhost:9/push", { method: "POST", agent }, () => resolve(new Error("unexpected answer")));
      req.on("error", resolve);
      req.end();
    });
    expect(err.message).toMatch(/reserved address; refused/);
  });
});
