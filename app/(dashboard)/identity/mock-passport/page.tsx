import type { Metadata } from "next";
import { MockPassport, type MockPassportRequest } from "@/components/identity/mock-passport";
import { requireSession } from "@/components/session/require-session";
import { env } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import { sessionProofRequest } from "@/lib/identity/sessions";

export const metadata: Metadata = { title: "Mock passport (development)", robots: { index: false } };

/** Plays the proof provider's app for a seed 003 session (a MOCK of Self's passport app: lib/identity/mock-passport.ts). */
export default async function MockPassportPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = (await searchParams).token;
  const token = typeof raw === "string" ? raw : "";
  await requireSession(`/identity/mock-passport?token=${encodeURIComponent(token)}`);
  let request: MockPassportRequest | null = null;
  let problem: string | null = null;
  try {
    const { row } = await sessionProofRequest(db(), token, env().origin);
    request = {
      kind: row.kind,
      stage: row.stage,
      chainId: row.chainId,
      disclosures: row.disclosures as MockPassportRequest["disclosures"],
      agentAddress: row.agentAddress,
      agentId: row.agentId,
      expiresAt: row.expiresAt.getTime(),
    };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    problem = err.message;
  }
  return <MockPassport token={token} request={request} problem={problem} />;
}
