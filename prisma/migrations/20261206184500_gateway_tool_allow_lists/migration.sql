-- Per-agent tool allow-lists of the gateway (issue #13): a JSON array of tool names or `prefix*`
-- patterns; NULL means every tool. /check blocks a tool outside the list (reason tool_not_allowed)
-- and the MCP proxy lists only the tools it allows.

-- AlterTable
ALTER TABLE "agents" ADD COLUMN "tool_allow_list" JSONB;
