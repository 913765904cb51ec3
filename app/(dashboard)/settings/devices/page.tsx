import type { Metadata } from "next";
import { DevicesPanel } from "@/components/push/devices-panel";
import { requireSession } from "@/components/session/require-session";

export const metadata: Metadata = { title: "Devices" };

export default async function DevicesSettingsPage() {
  await requireSession("/settings/devices");
  return <DevicesPanel />;
}
