import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { address, chainId, chainIdQuery, idParams, v1Error } from "./schemas";

const network = z.object({
  chainId: z.number(),
  name: z.string(),
  rpcUrl: z.string(),
  explorerUrl: z.string().optional(),
  nativeCurrency: z.object({ name: z.string(), symbol: z.string(), decimals: z.number() }),
  enabled: z.boolean(),
  isDevnet: z.boolean(),
});

const contract = z.object({
  id: z.string(),
  chainId: z.number(),
  address: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  abi: z.array(z.unknown()).nullable(),
  createdAt: z.string(),
});

export const listNetworks = defineRoute({
  method: "GET",
  path: "/api/v1/networks",
  summary: "List all enabled networks",
  tags: ["Networks"],
  auth: ["session", "apiKey"],
  responses: { 200: z.object({ networks: z.array(network) }) },
});

export const listContracts = defineRoute({
  method: "GET",
  path: "/api/v1/contracts",
  summary: "List known contracts (supports ?chainId= filter)",
  tags: ["Contracts"],
  auth: ["session", "apiKey"],
  permission: "signers:read",
  query: z.strictObject({ chainId: chainIdQuery.optional() }),
  responses: { 200: z.object({ contracts: z.array(contract) }), 400: v1Error },
});

export const addContract = defineRoute({
  method: "POST",
  path: "/api/v1/contracts",
  summary: "Add a known contract",
  tags: ["Contracts"],
  auth: ["session", "apiKey"],
  permission: "signers:manage",
  body: z.strictObject({
    chainId,
    address,
    name: z.string().trim().min(1).max(100),
    description: z.string().trim().max(500).optional(),
    abi: z.array(z.record(z.string(), z.unknown())).max(500).optional(),
  }),
  responses: { 201: z.object({ contract }), 400: v1Error, 409: v1Error },
});

export const removeContract = defineRoute({
  method: "DELETE",
  path: "/api/v1/contracts/{id}",
  summary: "Remove a known contract",
  tags: ["Contracts"],
  auth: ["session", "apiKey"],
  permission: "signers:manage",
  params: idParams,
  responses: { 204: null, 404: v1Error },
});
