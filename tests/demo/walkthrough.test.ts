/** The Demo page's walkthrough (pure): every pattern's commands name routes that exist, with this server's origin and verifier. */
import { describe, expect, it } from "vitest";
import { allContracts } from "@/lib/api";
import { demoPatterns } from "@/lib/demo/walkthrough";

const target = { origin: "https://cs.example/", chainId: 31337, verifier: "0x5FbDB2315678afecb367f032d93F642f64180aa3", demoAgent: { agentId: 1, address: "0x00000000000000000000000000000000000000aa" } };

describe("demo walkthrough", () => {
  it("covers the five patterns, each command a countersign identity command against a route this server serves", () => {
    const patterns = demoPatterns(target);
    expect(patterns.map((p) => p.id)).toEqual(["verify", "agent-to-agent", "chain-verify", "census", "chat"]);
    const served = new Set(allContracts.map((c) => c.path));
    for (const p of patterns) {
      for (const line of p.commands) {
        expect(line).toMatch(/^(BODY=\$\()?node bin\/countersign\.mjs identity (sign|meta-verify) /);
        for (const m of line.matchAll(/https:\/\/cs\.example(\/[^\s'"]*)/g)) expect(served, m[1]).toContain(m[1]);
      }
    }
    const chain = patterns.find((p) => p.id === "chain-verify")!;
    expect(chain.commands[0]).toContain(`--verifier ${target.verifier} --chain-id 31337`);
    expect(chain.commands[1]).toBe('node bin/countersign.mjs identity sign https://cs.example/api/demo/chain-verify -d "$BODY" --send');
    expect(patterns.find((p) => p.id === "chat")!.commands[0]).toBe(`node bin/countersign.mjs identity sign https://cs.example/api/demo/chat -d '{"query":"What is Self Agent ID?","session_id":"user-123"}' --send`);
    expect(patterns.find((p) => p.id === "agent-to-agent")!.note).toContain(target.demoAgent.address);
  });

  it("without a verifier or demo agent, the commands show placeholders and the note says 503", () => {
    const patterns = demoPatterns({ origin: "http://localhost:3000", chainId: null, verifier: null, demoAgent: null });
    expect(patterns.find((p) => p.id === "chain-verify")!.commands[0]).toContain("--verifier <AgentDemoVerifier address> --chain-id <chain id>");
    expect(patterns.find((p) => p.id === "agent-to-agent")!.note).toContain("503");
  });
});
