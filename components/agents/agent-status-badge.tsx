import type { AgentStatus } from "../api/agents";
import { Badge } from "../ui/badge";
import { agentStatusLabel, agentStatusTone } from "./agent-format";

export function AgentStatusBadge({ status }: { status: AgentStatus }) {
  return (
    <Badge tone={agentStatusTone[status]} data-testid="agent-status">
      {agentStatusLabel[status]}
    </Badge>
  );
}
