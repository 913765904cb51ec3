import type { Metadata } from "next";
import { BillingPanel } from "@/components/settings/billing-panel";
import { requireSession } from "@/components/session/require-session";

export const metadata: Metadata = { title: "Billing" };

export default async function BillingSettingsPage() {
  await requireSession("/settings/billing");
  return <BillingPanel />;
}
