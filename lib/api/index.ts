import type { RouteContract } from "@/lib/http/contract";
import * as auth from "./auth";
import * as chain from "./chain";
import * as organizations from "./organizations";
import * as signers from "./signers";
import * as signing from "./signing";
import * as signerAdmin from "./signer-admin";
import * as system from "./system";

/** Every API contract, for GET /openapi.json. tests/api/openapi.test.ts checks no route is missing. */
export const allContracts: RouteContract[] = [...Object.values(system), ...Object.values(auth), ...Object.values(organizations), ...Object.values(chain), ...[...Object.values(signers), ...Object.values(signing), ...Object.values(signerAdmin)].filter((v) => typeof v === "object" && v !== null && "method" in v)] as RouteContract[];
