"use client";

import Link from "next/link";
import { useState } from "react";
import { useAgents, type Agent } from "../api/agents";
import { describeError } from "../api/errors";
import type { OrganizationRole } from "../api/types";
import { formatRelative } from "../format/dates";
import { BotIcon, PlusIcon } from "../icons";
import { Button } from "../ui/button";
import { EmptyState } from "../ui/empty-state";
import { ErrorState } from "../ui/error-state";
import { SkeletonBlock } from "../ui/skeleton";
import { TBody, THead, Table, Td, Th, Tr } from "../ui/table";
import { canManageAgents, identifierRows } from "./agent-format";
import { AgentStatusBadge } from "./agent-status-badge";
import { CreateAgentDialog } from "./create-agent-dialog";

function AgentRow({ agent }: { agent: Agent }) {
  const ids = identifierRows(agent.identifiers);
  return (
    <Tr data-testid={`agent-row-${agent.id}`}>
      <Td label="Name" className="font-medium text-fg">
        <Link href={`/agents/${agent.id}`} className="rounded-sm [overflow-wrap:anywhere] text-accent-soft-fg underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-ring">
          {agent.name}
        </Link>
      </Td>
      <Td label="Status">
        <AgentStatusBadge status={agent.status} />
      </Td>
      <Td label="Identifiers" className="text-fg-muted">
        {ids.length ? (
          <ul className="space-y-0.5 text-xs">
            {ids.map((r) => (
              <li key={r.label} className="break-all">
                <span className="text-fg-muted">{r.label}: </span>
                <code className="font-mono text-fg">{r.value}</code>
              </li>
            ))}
          </ul>
        ) : (
          <span className="text-xs">—</span>
        )}
      </Td>
      <Td label="Signers" className="text-fg">
        {agent.signerCount}
      </Td>
      <Td label="Last activity" className="text-fg-muted">
        {agent.lastActivityAt ? formatRelative(agent.lastActivityAt) : "None yet"}
      </Td>
    </Tr>
  );
}

export function AgentsList({ organizationId, role }: { organizationId: string; role: OrganizationRole }) {
  const agents = useAgents(organizationId);
  const [creating, setCreating] = useState(false);
  const canManage = canManageAgents(role);
  const newButton = canManage ? (
    <Button onClick={() => setCreating(true)} icon={<PlusIcon className="size-4" />} data-testid="new-agent">
      New agent
    </Button>
  ) : null;

  let body;
  if (agents.isPending) body = <SkeletonBlock lines={4} label="Loading agents" />;
  else if (agents.isError) body = <ErrorState message={describeError(agents.error)} onRetry={() => agents.refetch()} />;
  else if (agents.data.length === 0)
    body = (
      <EmptyState
        icon={<BotIcon className="size-5" />}
        title="No agents yet"
        description={
          <p>
            An agent is one record across everything it uses: its signers (wallets), its phone-approval pairings, and later its gateway
            checks, trust score and on-chain identity. Creating a signer creates an agent for it too.
          </p>
        }
        action={newButton}
      />
    );
  else
    body = (
      <div className="space-y-4">
        {newButton ? <div className="flex justify-end">{newButton}</div> : null}
        <Table aria-label="Agents">
          <THead>
            <tr>
              <Th>Name</Th>
              <Th>Status</Th>
              <Th>Identifiers</Th>
              <Th>Signers</Th>
              <Th>Last activity</Th>
            </tr>
          </THead>
          <TBody>
            {agents.data.map((agent) => (
              <AgentRow key={agent.id} agent={agent} />
            ))}
          </TBody>
        </Table>
      </div>
    );

  return (
    <>
      {body}
      {creating ? <CreateAgentDialog open onClose={() => setCreating(false)} /> : null}
    </>
  );
}
