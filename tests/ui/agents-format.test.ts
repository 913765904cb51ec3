import { describe, expect, it } from "vitest";
import { agentStatusLabel, canManageAgents, identifierRows, parseAllowList, validateAgentForm } from "@/components/agents/agent-format";

describe("agent dashboard helpers", () => {
  it("lists only the identifiers an agent has, labelled by system", () => {
    expect(identifierRows({ signetSid: null, aegisAgentId: null, onchain: null, agentAddress: null, turnkeyWalletId: null })).toEqual([]);
    expect(identifierRows({ signetSid: "SID-0x0123456789abcdef", aegisAgentId: "bot", onchain: { chainId: 42220, agentId: "7" }, agentAddress: null, turnkeyWalletId: null })).toEqual([
      { label: "Signet SID", value: "SID-0x0123456789abcdef" },
      { label: "AEGIS agent_id", value: "bot" },
      { label: "On-chain identity", value: "#7 on chain 42220" },
    ]);
  });

  it("reads the allowed-tools editor: one entry per line or comma, trimmed, blanks and duplicates dropped", () => {
    expect(parseAllowList("read_file\n  fs_* \n\nsearch, read_file,")).toEqual(["read_file", "fs_*", "search"]);
    expect(parseAllowList("  \n ")).toEqual([]);
  });

  it("validates the create form like the server does", () => {
    expect(validateAgentForm({ name: "  ", signetSid: "", aegisAgentId: "" })).toEqual({ name: "Give the agent a name" });
    expect(validateAgentForm({ name: "ok", signetSid: "SID-0xABCDEF0123456789", aegisAgentId: "" })).toEqual({ signetSid: "SID-0x followed by 16 lowercase hex digits" });
    expect(validateAgentForm({ name: "ok", signetSid: "SID-0xabcdef0123456789", aegisAgentId: "x".repeat(129) })).toEqual({ aegisAgentId: "At most 128 characters" });
    expect(validateAgentForm({ name: "ok", signetSid: "", aegisAgentId: "" })).toEqual({});
  });

  it("lets owners and admins manage, others read", () => {
    expect(["owner", "admin", "approver", "viewer"].map((r) => canManageAgents(r as never))).toEqual([true, true, false, false]);
    expect(agentStatusLabel.paused).toBe("Paused");
  });
});
