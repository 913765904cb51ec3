import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { SIGN_IN_ADDRESS, signInByEmail, signInByPasskey, signInByWallet } from "@/lib/auth/sign-in-rules";
import { authenticationCredential, orgSchema, registrationCredential, userSchema, v1Error, webauthnOptions } from "./schemas";

const tags = ["Auth"];
/** Every sign-in route, per client address; the routes that check a credential add address + account (lib/auth/sign-in-rules.ts). */
const authLimit = SIGN_IN_ADDRESS;

export const register = defineRoute({
  method: "POST",
  path: "/api/v1/auth/register",
  summary: "Register a new user; returns passkey creation options for the first passkey",
  tags,
  auth: ["public"],
  rateLimit: [authLimit, signInByEmail],
  body: z.strictObject({ email: z.email().max(254), name: z.string().trim().min(1).max(100) }),
  responses: { 201: z.object({ user: userSchema, passkeyOptions: webauthnOptions }), 400: v1Error, 409: v1Error },
});

export const verifyEmail = defineRoute({
  method: "POST",
  path: "/api/v1/auth/verify-email",
  summary: "Verify an email address with the single-use token from the verification mail, signed in as the account it was sent to (pending invitations to the address are accepted then)",
  tags,
  auth: ["session"],
  rateLimit: authLimit,
  body: z.strictObject({ token: z.string().min(20).max(200) }),
  responses: { 200: z.object({ verified: z.literal(true) }), 400: v1Error, 401: v1Error, 403: v1Error, 410: v1Error },
});

export const resendVerification = defineRoute({
  method: "POST",
  path: "/api/v1/auth/verify-email/resend",
  summary: "Send a new verification mail to the signed-in user",
  tags,
  auth: ["session"],
  rateLimit: { name: "verify-resend", limit: 5, windowSeconds: 3600, by: "principal" },
  responses: { 202: z.object({ sent: z.literal(true) }), 409: v1Error },
});

export const passkeyRegister = defineRoute({
  method: "POST",
  path: "/api/v1/auth/passkey/register",
  summary: "Register a passkey: `{}` (signed in) returns options; `{ credential }` verifies and stores it",
  tags,
  auth: ["session", "public"],
  rateLimit: authLimit,
  body: z.strictObject({ credential: registrationCredential.optional(), name: z.string().trim().min(1).max(64).optional() }),
  responses: {
    200: z.object({ options: webauthnOptions }),
    201: z.object({ passkey: z.object({ id: z.string(), name: z.string(), createdAt: z.string() }) }),
    400: v1Error,
    401: v1Error,
  },
});

export const passkeyLoginChallenge = defineRoute({
  method: "POST",
  path: "/api/v1/auth/passkey/login-challenge",
  summary: "Get a passkey login challenge (discoverable credentials)",
  tags,
  auth: ["public"],
  rateLimit: authLimit,
  responses: { 200: z.object({ options: webauthnOptions }) },
});

export const passkeyLogin = defineRoute({
  method: "POST",
  path: "/api/v1/auth/passkey/login",
  summary: "Authenticate with a passkey; sets the JWT session cookie",
  tags,
  auth: ["public"],
  rateLimit: [authLimit, signInByPasskey],
  body: z.strictObject({ credential: authenticationCredential }),
  responses: { 200: z.object({ user: userSchema }), 400: v1Error, 401: v1Error },
});

export const siweNonce = defineRoute({
  method: "POST",
  path: "/api/v1/auth/siwe/nonce",
  summary: "Get a single-use nonce for Sign-In With Ethereum",
  tags,
  auth: ["public"],
  rateLimit: authLimit,
  responses: { 200: z.object({ nonce: z.string() }) },
});

export const siweVerify = defineRoute({
  method: "POST",
  path: "/api/v1/auth/siwe/verify",
  summary: "Sign in with an EIP-4361 message signed by a wallet; sets the session cookie",
  tags,
  auth: ["public"],
  rateLimit: [authLimit, signInByWallet],
  body: z.strictObject({ message: z.string().min(10).max(4096), signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/, "Must be a 65-byte hex signature") }),
  responses: { 200: z.object({ user: userSchema }), 400: v1Error, 401: v1Error },
});

export const logout = defineRoute({
  method: "POST",
  path: "/api/v1/auth/logout",
  summary: "Invalidate the current session",
  tags,
  auth: ["session", "public"],
  responses: { 204: null },
});

export const me = defineRoute({
  method: "GET",
  path: "/api/v1/auth/me",
  summary: "The signed-in user, the active organization and all of the user's organizations",
  tags,
  auth: ["session"],
  responses: { 200: z.object({ user: userSchema, organization: orgSchema.nullable(), organizations: z.array(orgSchema) }), 401: v1Error },
});

export const switchOrganization = defineRoute({
  method: "POST",
  path: "/api/v1/auth/switch-organization",
  summary: "Make another of the user's organizations the active one for this session",
  tags,
  auth: ["session"],
  body: z.strictObject({ organizationId: z.uuid() }),
  responses: { 200: z.object({ organization: orgSchema }), 404: v1Error },
});
