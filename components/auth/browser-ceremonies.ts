import { startAuthentication, startRegistration } from "@simplewebauthn/browser";
import { apiRequest } from "../api/client";
import type { PasskeyFlowDeps } from "./passkey-flows";

/** The real browser dependencies of the passkey flows. */
export const browserPasskeyDeps: PasskeyFlowDeps = {
  request: apiRequest,
  startRegistration,
  startAuthentication,
};
