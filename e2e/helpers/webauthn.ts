import type { CDPSession, Page } from "@playwright/test";

export interface VirtualAuthenticator {
  cdp: CDPSession;
  authenticatorId: string;
  /** Credentials currently stored on the virtual device. */
  credentials(): Promise<Array<{ credentialId: string; isResidentCredential: boolean; rpId?: string }>>;
  remove(): Promise<void>;
}

/**
 * Attaches a CDP virtual authenticator to the page: a platform passkey provider (internal transport,
 * resident keys, user verification) that answers every WebAuthn prompt without UI. `prf` adds the
 * PRF extension (hmac-secret), which Chromium's virtual authenticator supports on request.
 */
export async function addVirtualAuthenticator(page: Page, opts: { prf?: boolean } = {}): Promise<VirtualAuthenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
      ...(opts.prf ? { hasPrf: true } : {}),
    } as { protocol: "ctap2"; transport: "internal" },
  });
  return {
    cdp,
    authenticatorId,
    async credentials() {
      const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
      return credentials;
    },
    async remove() {
      await cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId });
    },
  };
}

/**
 * Makes `to` hold exactly the credentials of `from` (private keys and signature counters): the same
 * passkey on a second tab (a CDP virtual authenticator belongs to one tab). Copy back after the
 * second tab used it, so the counters the server checks keep increasing.
 */
export async function copyCredentials(from: VirtualAuthenticator, to: VirtualAuthenticator): Promise<void> {
  const { credentials } = await from.cdp.send("WebAuthn.getCredentials", { authenticatorId: from.authenticatorId });
  await to.cdp.send("WebAuthn.clearCredentials", { authenticatorId: to.authenticatorId });
  for (const credential of credentials) await to.cdp.send("WebAuthn.addCredential", { authenticatorId: to.authenticatorId, credential });
}
