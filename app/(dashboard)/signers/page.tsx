import type { Metadata } from "next";
import { UpcomingArea } from "@/components/dashboard/upcoming-area";
import { KeyIcon } from "@/components/icons";
import { requireSession } from "@/components/session/require-session";

export const metadata: Metadata = { title: "Signers" };

export default async function SignersPage() {
  await requireSession("/signers");
  return (
    <UpcomingArea
      title="Signers"
      summary="Threshold wallets for your agents. Each signer is a 2-of-3 ECDSA key split between the agent, Countersign and your recovery share."
      icon={<KeyIcon className="size-5" />}
      emptyTitle="Your signers will appear here"
      points={[
        "Each agent gets its own wallet address; no single party ever holds the whole private key.",
        "You will see every signer's address, networks, balance and the policy that guards it.",
        "Key shares can be refreshed or the signer frozen from here.",
      ]}
    />
  );
}
