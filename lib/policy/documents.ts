/** Rules documents in the database (I/O): the active one per signer, its draft and its history. */
import type { DbOrTx } from "@/lib/db/client";
import type { ActiveRulesDocument } from "./engine";
import { compileRules } from "./rules";

const compiled = new Map<string, ActiveRulesDocument>();

/** The signer's active rules document, compiled once per (id, version); undefined when none is active. */
export async function loadActiveRulesDocument(db: DbOrTx, signerId: string): Promise<ActiveRulesDocument | undefined> {
  const row = await db.policyDocument.findFirst({ where: { signerId, status: "active" } });
  if (!row) return undefined;
  const key = `${row.id}:${row.version}`;
  let doc = compiled.get(key);
  if (!doc) {
    doc = { id: row.id, version: row.version, rules: compileRules(row.rules) };
    if (compiled.size > 1000) compiled.clear();
    compiled.set(key, doc);
  }
  return doc;
}
