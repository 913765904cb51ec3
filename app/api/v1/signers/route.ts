import { createSigner, listSigners } from "@/lib/api/signers";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf, userOf } from "@/lib/http/scope";
import { mpcProfile } from "@/lib/signing/profile";
import { createSignerWithDkg, publicSigner } from "@/lib/signing/signers";

export const GET = handle(listSigners, async ({ principal }) => {
  const rows = await db().signer.findMany({ where: { organizationId: orgOf(principal), deletedAt: null }, orderBy: { createdAt: "desc" } });
  return { status: 200, body: { signers: rows.map(publicSigner) } };
});

export const POST = handle(createSigner, async ({ body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const { signer, agent, dkg } = await createSignerWithDkg(db(), { organizationId, createdById: userOf(principal).userId, ...body, profile: mpcProfile() });
  // agentParty "browser" is the one-browser flow (the dashboard briefly holds the agent's share too): always on record.
  await recordAudit(db(), {
    organizationId,
    actor: actorOf(principal),
    action: "signer.created",
    resourceType: "signer",
    resourceId: signer.id,
    details: { name: signer.name, chainId: signer.chainId, ceremonyId: dkg.ceremonyId, agentParty: dkg.agentParty, agentId: agent.id },
    context: ctx,
  });
  if (agent.created) {
    await recordAudit(db(), { organizationId, actor: actorOf(principal), action: "agent.created", resourceType: "agent", resourceId: agent.id, details: { name: agent.name, forSigner: signer.id }, context: ctx });
  }
  return { status: 201, body: { signer: publicSigner(signer), dkg } };
});
