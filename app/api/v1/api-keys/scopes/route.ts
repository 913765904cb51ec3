import { listApiKeyScopes } from "@/lib/api/organizations";
import { API_KEY_SCOPES, PERMISSIONS } from "@/lib/auth/permissions";
import { handle } from "@/lib/http/handle";

export const GET = handle(listApiKeyScopes, async () => ({
  status: 200,
  body: { scopes: API_KEY_SCOPES.map((id) => ({ id, description: PERMISSIONS[id] })) },
}));
