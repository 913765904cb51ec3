import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";

/**
 * The MPC security profile the server runs key generation with, so a client can start generating
 * its safe primes (the slow part of its party) before it creates a signer.
 */
export const dkgProfile = defineRoute({
  method: "GET",
  path: "/api/v1/dkg/profile",
  summary: "The security profile of key generation and the size of the safe primes each party needs (no signer is created)",
  tags: ["DKG"],
  auth: ["session", "apiKey"],
  responses: {
    200: z.object({
      profile: z.enum(["production", "fast-test"]),
      primeBits: z.number().int().positive(),
      /** Safe primes per party: Paillier p, q and ring-Pedersen p̂, q̂. */
      primesPerParty: z.literal(4),
    }),
  },
});
