/**
 * SCIM 2.0 discovery documents (RFC 7643 §5–§7, RFC 7644 §4): what this service provider supports,
 * its two resource types and the schemas of their attributes. Static; `location`s are filled in
 * from the request's base URL.
 */
export const URN = {
  user: "urn:ietf:params:scim:schemas:core:2.0:User",
  group: "urn:ietf:params:scim:schemas:core:2.0:Group",
  enterprise: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
  list: "urn:ietf:params:scim:api:messages:2.0:ListResponse",
  patch: "urn:ietf:params:scim:api:messages:2.0:PatchOp",
  search: "urn:ietf:params:scim:api:messages:2.0:SearchRequest",
  error: "urn:ietf:params:scim:api:messages:2.0:Error",
  spc: "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig",
  resourceType: "urn:ietf:params:scim:schemas:core:2.0:ResourceType",
  schema: "urn:ietf:params:scim:schemas:core:2.0:Schema",
} as const;

export const SCIM_MEDIA_TYPE = "application/scim+json";
/** The most resources one page returns (ServiceProviderConfig filter.maxResults). */
export const MAX_RESULTS = 200;
/** The most operations one PATCH carries. */
export const MAX_PATCH_OPERATIONS = 100;

type Attr = {
  name: string;
  type: "string" | "boolean" | "complex" | "dateTime" | "reference" | "integer";
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: "readOnly" | "readWrite" | "immutable" | "writeOnly";
  returned: "always" | "never" | "default" | "request";
  uniqueness: "none" | "server" | "global";
  subAttributes?: Attr[];
  referenceTypes?: string[];
  canonicalValues?: string[];
};

function attr(name: string, type: Attr["type"], description: string, o: Partial<Attr> = {}): Attr {
  return { name, type, multiValued: false, description, required: false, caseExact: false, mutability: "readWrite", returned: "default", uniqueness: "none", ...o };
}

const userAttributes: Attr[] = [
  attr("userName", "string", "Unique identifier of the user, typically the sign-in email. Unique per organization, case-insensitive.", { required: true, uniqueness: "server" }),
  attr("name", "complex", "The components of the user's name.", {
    subAttributes: [attr("formatted", "string", "The full name."), attr("familyName", "string", "Family name."), attr("givenName", "string", "Given name.")],
  }),
  attr("displayName", "string", "The name shown in the dashboard."),
  attr("title", "string", "The user's title."),
  attr("active", "boolean", "false suspends the membership and ends the user's sessions."),
  attr("emails", "complex", "Email addresses; the primary (else the first, else userName) is the membership's address.", {
    multiValued: true,
    subAttributes: [attr("value", "string", "The address."), attr("type", "string", "work, home or other.", { canonicalValues: ["work", "home", "other"] }), attr("primary", "boolean", "The primary address.")],
  }),
  attr("groups", "complex", "Groups the user belongs to (read-only: change membership through the Group).", {
    multiValued: true,
    mutability: "readOnly",
    subAttributes: [
      attr("value", "string", "The group's id.", { mutability: "readOnly" }),
      attr("$ref", "reference", "The group's URI.", { mutability: "readOnly", referenceTypes: ["Group"] }),
      attr("display", "string", "The group's displayName.", { mutability: "readOnly" }),
    ],
  }),
];

const enterpriseAttributes: Attr[] = [
  attr("employeeNumber", "string", "Employee number."),
  attr("costCenter", "string", "Cost center."),
  attr("organization", "string", "Organization."),
  attr("division", "string", "Division."),
  attr("department", "string", "Department."),
  attr("manager", "complex", "The user's manager.", { subAttributes: [attr("value", "string", "The manager's id."), attr("displayName", "string", "The manager's name.", { mutability: "readOnly" })] }),
];

const groupAttributes: Attr[] = [
  attr("displayName", "string", "The group's name. owner, admin, approver and viewer map to those roles; other names map through Settings → Provisioning.", { required: true }),
  attr("members", "complex", "The group's members (Users).", {
    multiValued: true,
    subAttributes: [
      attr("value", "string", "The member's id.", { mutability: "immutable" }),
      attr("$ref", "reference", "The member's URI.", { mutability: "immutable", referenceTypes: ["User"] }),
      attr("display", "string", "The member's displayName.", { mutability: "readOnly" }),
    ],
  }),
];

function schemaDoc(base: string, id: string, name: string, description: string, attributes: Attr[]) {
  return { schemas: [URN.schema], id, name, description, attributes, meta: { resourceType: "Schema", location: `${base}/Schemas/${id}` } };
}

export function schemaDocs(base: string) {
  return [
    schemaDoc(base, URN.user, "User", "User Account (a membership of the organization)", userAttributes),
    schemaDoc(base, URN.group, "Group", "Group (maps to a role)", groupAttributes),
    schemaDoc(base, URN.enterprise, "EnterpriseUser", "Enterprise User", enterpriseAttributes),
  ];
}

export function resourceTypeDocs(base: string) {
  return [
    {
      schemas: [URN.resourceType],
      id: "User",
      name: "User",
      endpoint: "/Users",
      description: "User Account",
      schema: URN.user,
      schemaExtensions: [{ schema: URN.enterprise, required: false }],
      meta: { resourceType: "ResourceType", location: `${base}/ResourceTypes/User` },
    },
    {
      schemas: [URN.resourceType],
      id: "Group",
      name: "Group",
      endpoint: "/Groups",
      description: "Group",
      schema: URN.group,
      schemaExtensions: [],
      meta: { resourceType: "ResourceType", location: `${base}/ResourceTypes/Group` },
    },
  ];
}

export function serviceProviderConfig(base: string, docsUrl: string) {
  return {
    schemas: [URN.spc],
    documentationUri: docsUrl,
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "OAuth Bearer Token",
        description: "Authorization: Bearer with a SCIM token (csm_…) an owner creates in Settings → Provisioning",
        specUri: "https://www.rfc-editor.org/info/rfc6750",
        primary: true,
      },
    ],
    meta: { resourceType: "ServiceProviderConfig", location: `${base}/ServiceProviderConfig` },
  };
}

export function listResponse<T>(resources: T[], totalResults: number, startIndex: number) {
  return { schemas: [URN.list] as [typeof URN.list], totalResults, startIndex, itemsPerPage: resources.length, Resources: resources };
}
