import type { RouteContract } from "@/lib/http/contract";
import * as aa from "./aa";
import * as agents from "./agents";
import * as billing from "./billing";
import * as approvals from "./approvals";
import * as approvalsInbox from "./approvals-inbox";
import * as auth from "./auth";
import * as chain from "./chain";
import * as clearsign from "./clearsign";
import * as devices from "./devices";
import * as devnet from "./devnet";
import * as gateway from "./gateway";
import * as identity from "./identity";
import * as a2a from "./a2a";
import * as demo from "./demo";
import * as identitySessions from "./identity-sessions";
import * as mcp from "./mcp";
import * as dkgProfile from "./dkg-profile";
import * as push from "./push";
import * as agentDocs from "./agent-docs";
import * as organizations from "./organizations";
import * as policies from "./policies";
import * as policyDocuments from "./policy-documents";
import * as signers from "./signers";
import * as signing from "./signing";
import * as signingRequests from "./signing-requests";
import * as scim from "./scim";
import * as security from "./security";
import * as signerAdmin from "./signer-admin";
import * as system from "./system";
import * as transparencyLog from "./transparency-log";
import * as trust from "./trust";
import * as trustAdmin from "./trust-admin";
import * as turnkey from "./turnkey";

/** Every API contract, for GET /openapi.json. tests/api/openapi.test.ts checks no route is missing. */
const isContract = (v: unknown): v is RouteContract => typeof v === "object" && v !== null && "method" in v && "path" in v && "auth" in v;

export const allContracts: RouteContract[] = [system, auth, organizations, chain, agents, signers, dkgProfile, signing, signingRequests, signerAdmin, policies, policyDocuments, devices, push, agentDocs, devnet, approvals, approvalsInbox, clearsign, security, transparencyLog, gateway, mcp, identity, identitySessions, a2a, demo, trust, trustAdmin, scim, billing, turnkey, aa].flatMap((m) => Object.values(m).filter(isContract));
