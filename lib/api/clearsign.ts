import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { idParams, v1Error } from "./schemas";

const tags = ["Clear signing"];

const descriptorSummary = z.object({
  id: z.string(),
  source: z.literal("overlay"),
  owner: z.string().nullable(),
  contractName: z.string().nullable(),
  deployments: z.array(z.object({ chainId: z.number().int(), address: z.string() })),
  functions: z.array(z.object({ signature: z.string(), selector: z.string(), key: z.string(), intent: z.string().nullable() })),
  createdAt: z.string(),
  updatedAt: z.string(),
  descriptor: z.record(z.string(), z.unknown()).optional(),
});

export const listClearSignDescriptors = defineRoute({
  method: "GET",
  path: "/api/v1/clearsign/descriptors",
  summary: "List the organization's own ERC-7730 descriptors (clear-signing overlay) with their deployments and function signatures",
  tags,
  auth: ["session", "apiKey"],
  permission: "approvals:read",
  /** include=descriptor adds each descriptor's JSON (the dashboard clear-signs transactions in the browser with them). */
  query: z.strictObject({ include: z.literal("descriptor").optional() }),
  responses: { 200: z.object({ descriptors: z.array(descriptorSummary) }) },
});

/** The descriptor itself is validated by lib/clearsign/validate-descriptor.ts (400 naming body.descriptor.<path>). */
export const addClearSignDescriptor = defineRoute({
  method: "POST",
  path: "/api/v1/clearsign/descriptors",
  summary:
    "Add an ERC-7730 v1 calldata descriptor (context.contract.deployments required, no includes, at most 64 KiB). It is used for drafts in addition to the vendor registry and wins over a vendor descriptor for the same chain, address and selector.",
  tags,
  auth: ["session", "apiKey"],
  permission: "signers:manage",
  body: z.strictObject({ descriptor: z.unknown() }),
  responses: { 201: z.object({ descriptor: descriptorSummary }), 400: v1Error, 409: v1Error },
});

export const removeClearSignDescriptor = defineRoute({
  method: "DELETE",
  path: "/api/v1/clearsign/descriptors/{id}",
  summary: "Remove one of the organization's ERC-7730 descriptors",
  tags,
  auth: ["session", "apiKey"],
  permission: "signers:manage",
  params: idParams,
  responses: { 204: null, 404: v1Error },
});
