"use client";

import { useState } from "react";
import { hexToBytes } from "viem";
import { connectInjectedWallet, signWithInjectedWallet } from "../auth/injected-wallet";
import { hasInjectedWallet } from "../auth/wallet-detect";
import { FingerprintIcon, WalletIcon } from "../icons";
import { Button } from "../ui/button";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import { createSharePasskey, evaluatePrf, PrfUnavailableError } from "@/lib/signing/browser/passkey-prf";
import { randomSalt, toBase64Url, walletMessage, type KeyMaterial } from "@/lib/signing/user-share-crypto";

/**
 * How the user's share will be protected, chosen before key generation starts. A passkey PRF output
 * is taken now (the salt is ours); a wallet signs later, once the signer id (part of the message) exists.
 */
export type Protector =
  | {
      kind: "material";
      material: KeyMaterial;
      salt: Uint8Array;
      label: string;
      /** The passkey's PRF output on the prime store's salt (same assertion): seals the wizard's safe primes. */
      primeStore?: { credentialId: string; prfOutput: Uint8Array };
    }
  | { kind: "wallet"; address: `0x${string}`; label: string };

/** Produces the key material for `signerId` (asks the wallet to sign when that is the protector). */
export async function materialFor(p: Protector, signerId: string): Promise<{ material: KeyMaterial; salt: Uint8Array }> {
  if (p.kind === "material") return { material: p.material, salt: p.salt };
  const salt = randomSalt();
  const signature = await signWithInjectedWallet(walletMessage(signerId, toBase64Url(salt)), p.address);
  return { material: { scheme: "wallet-signature", signature: hexToBytes(signature), walletAddress: p.address }, salt };
}

function message(err: unknown): string {
  if (err instanceof DOMException && err.name === "NotAllowedError") return "The passkey prompt was dismissed or timed out. Try again.";
  return err instanceof Error ? err.message : String(err);
}

export function ProtectShareStep({ userName, primeStoreSalt, onChosen }: { userName: string; primeStoreSalt?: Uint8Array | null; onChosen: (p: Protector) => void }) {
  const [busy, setBusy] = useState<null | "passkey" | "create" | "wallet">(null);
  const [error, setError] = useState<string | null>(null);
  const [noPrf, setNoPrf] = useState<null | "no-prf" | "no-passkey">(null);
  const [showPassphrase, setShowPassphrase] = useState(false);
  const [passphrase, setPassphrase] = useState("");
  const [confirm, setConfirm] = useState("");
  const [passError, setPassError] = useState<string | null>(null);

  const usePasskey = async (credentialId?: string) => {
    const salt = randomSalt();
    // One assertion, two PRF inputs: the share's salt and the prime store's (lib/signing/browser/prime-store.ts).
    const { credentialId: id, prfOutput, prfSecond } = await evaluatePrf({ salt, second: primeStoreSalt ?? undefined, credentialId });
    onChosen({
      kind: "material",
      material: { scheme: "webauthn-prf", prfOutput, credentialId: id },
      salt,
      label: "your passkey",
      ...(prfSecond ? { primeStore: { credentialId: id, prfOutput: prfSecond } } : {}),
    });
  };

  const tryPasskey = async () => {
    setBusy("passkey");
    setError(null);
    try {
      await usePasskey();
    } catch (err) {
      if (err instanceof PrfUnavailableError) setNoPrf("no-prf");
      else {
        // No passkey answered (none on this device, e.g. after a wallet sign-in, or the prompt was closed).
        setError(message(err));
        setNoPrf("no-passkey");
      }
    } finally {
      setBusy(null);
    }
  };

  const createPasskey = async () => {
    setBusy("create");
    setError(null);
    try {
      const id = await createSharePasskey({ userName });
      await usePasskey(id);
    } catch (err) {
      setError(err instanceof PrfUnavailableError ? "This authenticator cannot derive keys with PRF either. Use a passphrase or a wallet instead." : message(err));
    } finally {
      setBusy(null);
    }
  };

  const useWallet = async () => {
    setBusy("wallet");
    setError(null);
    try {
      const { address } = await connectInjectedWallet();
      onChosen({ kind: "wallet", address, label: "your wallet" });
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(null);
    }
  };

  const usePassphrase = () => {
    if (passphrase.length < 12) return setPassError("Use at least 12 characters.");
    if (passphrase !== confirm) return setPassError("The passphrases differ.");
    setPassError(null);
    onChosen({ kind: "material", material: { scheme: "passphrase", passphrase }, salt: randomSalt(), label: "your passphrase" });
  };

  return (
    <div className="space-y-4" data-testid="wizard-protect">
      <p className="text-sm text-fg-muted">
        Your share of the key (party 2) is generated in this browser and encrypted here before it is stored on the server. The key
        comes from your passkey through the WebAuthn PRF extension: the server keeps only ciphertext it cannot open. You will use the
        same passkey to sign from the dashboard.
      </p>
      <div className="flex flex-wrap gap-2">
        <Button onClick={() => void tryPasskey()} loading={busy === "passkey"} disabled={busy !== null} icon={<FingerprintIcon className="size-4" />}>
          Protect with my passkey
        </Button>
      </div>
      {noPrf ? (
        <div role="alert" className="space-y-3 rounded-lg bg-warning-soft px-3 py-3 text-sm text-warning-soft-fg" data-testid="wizard-no-prf">
          <p>
            {noPrf === "no-prf" ? (
              <>
                <span className="font-semibold">Your sign-in passkey cannot derive encryption keys</span> (its authenticator did not return a
                PRF result).{" "}
              </>
            ) : (
              <>No passkey of this site answered. </>
            )}
            You can create a separate share passkey on this device — used only to unlock key shares, not to sign in — or protect the
            share with a passphrase{hasInjectedWallet() ? " or a wallet signature" : ""}.
          </p>
          <div className="flex flex-wrap gap-2">
            <Button variant="secondary" onClick={() => void createPasskey()} loading={busy === "create"} disabled={busy !== null}>
              Create a share passkey
            </Button>
            {hasInjectedWallet() ? (
              <Button variant="secondary" onClick={() => void useWallet()} loading={busy === "wallet"} disabled={busy !== null} icon={<WalletIcon className="size-4" />}>
                Use a wallet signature
              </Button>
            ) : null}
            <Button variant="ghost" onClick={() => setShowPassphrase(true)} disabled={busy !== null}>
              Use a passphrase
            </Button>
          </div>
        </div>
      ) : null}
      {showPassphrase ? (
        <div className="space-y-3 rounded-lg border border-border p-3">
          <p className="text-sm text-fg-muted">
            A passphrase is the weakest option: anyone who guesses it and can read the server&apos;s database gets your share. Choose a long
            one and keep it safe; it cannot be recovered.
          </p>
          <Field label="Share passphrase" error={passError}>
            {(control) => <Input {...control} type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />}
          </Field>
          <Field label="Repeat the passphrase">
            {(control) => <Input {...control} type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />}
          </Field>
          <Button variant="secondary" onClick={usePassphrase}>
            Use this passphrase
          </Button>
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="text-sm text-danger-soft-fg">
          {error}
        </p>
      ) : null}
    </div>
  );
}
