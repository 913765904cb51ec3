import { describe, expect, it } from "vitest";
import { classifyToolCall, nameTokens, type ToolCategory } from "@/lib/gateway/classify";

const cat = (tool_name: string, args: unknown = {}) => classifyToolCall({ tool_name, arguments: args });

describe("classifyToolCall", () => {
  it("the seed's example: db_query → database, explained", () => {
    const r = cat("db_query", { sql: "SELECT 1" });
    expect(r.category).toBe("database");
    expect(r.signals).toEqual(["name:db_query→database"]);
  });

  it("by tool name", () => {
    const table: [string, ToolCategory][] = [
      ["execute_sql", "database"],
      ["postgresQuery", "database"],
      ["run_shell", "shell"],
      ["bash_exec", "shell"],
      ["read_file", "filesystem"],
      ["list_dir", "filesystem"],
      ["s3-upload", "filesystem"],
      ["http_get", "network"],
      ["web_search", "network"],
      ["fetchUrl", "network"],
      ["send_email", "email"],
      ["notify_slack", "email"],
      ["send_sms", "email"],
      ["propose_transfer", "payment"],
      ["stripe.createCharge", "payment"],
      ["get_balance", "payment"],
      ["run_python", "code"],
      ["execute_code", "code"],
      ["frobnicate_widget", "other"],
    ];
    for (const [name, want] of table) expect(cat(name).category, name).toBe(want);
  });

  it("by argument keys, then by value shapes, when the name says nothing", () => {
    expect(cat("my_tool", { sql: "SELECT 1" }).category).toBe("database");
    expect(cat("my_tool", { cmd: "ls -la" }).category).toBe("shell");
    expect(cat("my_tool", { path: "/var/log/app.log" }).category).toBe("filesystem");
    expect(cat("my_tool", { url: "https://api.example.com" }).category).toBe("network");
    expect(cat("my_tool", { to: "a@b.com", subject: "hi" }).category).toBe("email");
    expect(cat("my_tool", { amount: "1.5", currency: "ETH" }).category).toBe("payment");
    expect(cat("my_tool", { code: "print(1)" }).category).toBe("code");
    expect(cat("my_tool", { q: "SELECT * FROM orders" }).category).toBe("database");
    expect(cat("my_tool", { p: "/var/log/syslog" }).category).toBe("filesystem");
    expect(cat("my_tool", { x: { y: "https://example.com/deep" } }).category).toBe("network");
    expect(cat("my_tool", { recipient: "0x5FbDB2315678afecb367f032d93F642f64180aa3" }).category).toBe("payment"); // an account, not a mailbox
    expect(cat("my_tool", { dest: "0x5FbDB2315678afecb367f032d93F642f64180aa3" }).category).toBe("payment");
    expect(cat("my_tool", { value: 42 }).category).toBe("other");
  });

  it("a key contradicted by its value follows the value, and says so", () => {
    const r = cat("my_tool", { path: "https://evil.example/x" });
    expect(r.category).toBe("network");
    expect(r.signals).toEqual(['name:my_tool→no match', 'arg:/path key "path"→filesystem', "arg:/path value looks like a URL→network"]);
  });

  it("every step is explained", () => {
    expect(cat("my_tool", { url: "https://x.example" }).signals).toEqual(["name:my_tool→no match", 'arg:/url key "url"→network']);
    expect(cat("frob", {}).signals).toEqual(["name:frob→no match", "args:none→other"]);
    expect(cat("frob", { a: 1 }).signals).toEqual(["name:frob→no match", "args:no recognisable shape→other"]);
  });

  it("tolerates odd input", () => {
    expect(cat("", null).category).toBe("other");
    expect(classifyToolCall({ tool_name: 42 as unknown as string, arguments: "x" }).category).toBe("other");
    let deep: unknown = "SELECT 1";
    for (let i = 0; i < 100; i++) deep = { a: deep };
    expect(cat("t", deep).category).toBe("other"); // deeper than the classifier looks
  });

  it("name tokens", () => {
    expect(nameTokens("readFile")).toEqual(["read", "file"]);
    expect(nameTokens("HTTP-get.v2")).toEqual(["http", "get", "v2"]);
    expect(nameTokens("db_query")).toEqual(["db", "query"]);
  });
});
