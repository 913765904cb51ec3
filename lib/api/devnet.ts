import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { idParams, v1Error } from "./schemas";

export const fundSignerFromDevnet = defineRoute({
  method: "POST",
  path: "/api/v1/signers/{id}/fund",
  summary: "Local devnet only: send 1 ETH to the signer from the devnet's documented funded account, and wait for the receipt",
  tags: ["Signers"],
  auth: ["session"],
  permission: "signers:manage",
  params: idParams,
  responses: {
    200: z.object({ txHash: z.string(), from: z.string(), to: z.string(), value: z.string(), chainId: z.number(), blockNumber: z.string() }),
    403: v1Error,
    404: v1Error,
    409: v1Error,
    503: v1Error,
  },
});
