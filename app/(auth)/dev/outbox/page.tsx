import type { Metadata } from "next";
import { OutboxList } from "@/components/auth/outbox-list";

export const metadata: Metadata = { title: "Dev outbox", robots: { index: false } };

export default function DevOutboxPage() {
  return <OutboxList />;
}
