import { excerpt, Findings, gated, unitsOf, type Ctx } from "./util";
import type { RiskLevel } from "./types";

/**
 * sql-injection: stacked queries, UNION, tautologies, comment tricks, time-based and blind
 * probes, character/hex encodings, schema enumeration and credential columns.
 * Every pattern is linear: bounded repetitions, no nested quantifiers.
 */
const LOOKS_SQL = /\b(select|insert|update|delete|where|from|union|drop|values)\b/i;

const RULES: { what: string; gate: string[]; risk: RiskLevel; re: RegExp; explain: string; needsSql?: boolean }[] = [
  {
    what: "union_select",
    gate: ["union"],
    risk: "HIGH",
    re: /\bunion\b(?:\s|\/\*[^*]{0,100}\*\/|\(|\ball\b|\bdistinct\b){0,20}select\b/i,
    explain: "UNION SELECT appends rows from another query",
  },
  {
    what: "stacked_query",
    gate: [";"],
    risk: "HIGH",
    re: /;\s{0,20}(?:drop\s+(?:table|database|schema|view|index|user|function|procedure|trigger)\b|delete\s+from\b|insert\s+into\b|update\s+[\w."`[\]]{1,100}\s+set\b|create\s+(?:table|database|user|role|function|procedure|trigger)\b|alter\s+(?:table|user|role|database)\b|truncate\s+(?:table\s+)?\w|exec(?:ute)?\s*[(\w]|shutdown\b|grant\s+\w|revoke\s+\w|waitfor\s+delay\b|declare\s+@|copy\s+\w+\s+(?:from|to)\s)/i,
    explain: "a second statement is stacked after ';'",
  },
  {
    what: "stacked_select",
    gate: [";"],
    risk: "MEDIUM",
    re: /;\s{0,20}select\b/i,
    explain: "a second SELECT is stacked after ';'",
    needsSql: true,
  },
  {
    what: "destructive_statement",
    gate: ["drop", "truncate"],
    risk: "HIGH",
    re: /\b(?:drop\s+(?:table|database|schema)|truncate\s+table)\b/i,
    explain: "a destructive DDL statement (DROP/TRUNCATE)",
  },
  {
    what: "tautology",
    gate: ["=", "like"],
    risk: "HIGH",
    re: /\bor\s+(['"]?)([\w()]{1,40})\1\s*(?:=|\blike\b)\s*\1\2(?![\w(])/i,
    explain: "an always-true OR condition",
  },
  {
    what: "tautology",
    gate: ["'"],
    risk: "HIGH",
    re: /'\s*or\s*'[^']{0,20}'\s*=\s*'/i,
    explain: "an always-true OR condition breaking out of a string literal",
  },
  {
    what: "tautology",
    gate: ["'"],
    risk: "HIGH",
    re: /'\s*(?:or|\|\|)\s+(?:true|1|not\s+false)\b/i,
    explain: "an always-true OR condition breaking out of a string literal",
  },
  {
    what: "quote_comment",
    gate: ["--", "#", "/*"],
    risk: "HIGH",
    re: /'\s{0,10}\){0,5}\s{0,10}(?:--(?:\s|$|-)|\/\*|;\s{0,10}--)|'\){0,5}#(?:\s|$)|'\s{1,10}\){0,5}\s{0,10}#\s*$/,
    explain: "a quote followed by a comment truncates the rest of the query",
  },
  {
    what: "inline_comment",
    gate: ["/*"],
    risk: "MEDIUM",
    re: /[\w)'"]\/\*[^*]{0,50}\*\/[\w('"]|\/\*!\d{0,6}\s{0,5}\w/,
    explain: "an inline /**/ or MySQL /*! */ comment used to split keywords",
  },
  {
    what: "time_based",
    gate: ["sleep", "benchmark", "waitfor", "dbms_", "randomblob"],
    risk: "HIGH",
    re: /(?<![\w.])(?:sleep|pg_sleep|benchmark)\s*\(|\bwaitfor\s+(?:delay|time)\b|\bdbms_lock\.sleep\b|\bdbms_pipe\.receive_message\b|\brandomblob\s*\(\s*\d{6,}/i,
    explain: "a time-based probe (SLEEP / pg_sleep / BENCHMARK / WAITFOR DELAY)",
  },
  {
    what: "blind_subquery",
    gate: ["select"],
    risk: "HIGH",
    re: /\b(?:substring|substr|mid|ascii|ord|length)\s*\(\s*\(\s*select\b/i,
    explain: "a character-by-character blind extraction sub-query",
  },
  {
    what: "error_based",
    gate: ["extractvalue", "updatexml", "select"],
    risk: "HIGH",
    re: /\b(?:cast|convert|extractvalue|updatexml)\s*\(\s*\(\s*select\b|\b(?:extractvalue|updatexml)\s*\(/i,
    explain: "an error-based extraction (sub-query inside CAST/EXTRACTVALUE/UPDATEXML)",
  },
  {
    what: "command_or_file_access",
    gate: ["xp_", "sp_oa", "load_file", "outfile", "dumpfile", "program", "lo_import", "pg_read_file"],
    risk: "CRITICAL",
    re: /\bxp_cmdshell\b|\bsp_oacreate\b|\bload_file\s*\(|\binto\s+(?:out|dump)file\b|\bcopy\s+\w+\s+(?:from|to)\s+program\b|\blo_import\s*\(|\bpg_read_file\s*\(/i,
    explain: "the database is asked to run commands or read/write server files",
  },
  {
    what: "char_encoding",
    gate: ["char", "chr"],
    risk: "MEDIUM",
    re: /\b(?:n?char|chr)\s*\(\s*\d{1,3}\s*,\s*\d{1,3}|\b(?:n?char|chr)\s*\(\s*\d{1,3}\s*\)\s*(?:\|\||\+|,|=)\s*(?:n?char|chr)\s*\(/i,
    explain: "string literals spelled as CHAR()/CHR() codes to evade keyword filters",
  },
  {
    what: "hex_literal",
    gate: ["0x"],
    risk: "MEDIUM",
    re: /(?:=|\blike\b|\bin\s*\()\s*0x[0-9a-f]{6,}\b/i,
    explain: "a string literal written in hex to evade quoting",
    needsSql: true,
  },
  {
    what: "schema_enumeration",
    gate: ["information_schema", "pg_", "sqlite_", "sysobjects", "syscolumns", "mysql.user", "all_tables", "all_users", "sys."],
    risk: "MEDIUM",
    re: /\b(?:information_schema|pg_catalog|pg_shadow|pg_user|pg_authid|sqlite_master|sqlite_schema|sysobjects|syscolumns|mysql\.user|all_tables|all_users|sys\.tables|sys\.sql_logins)\b/i,
    explain: "the query enumerates the database schema or its users",
  },
  {
    what: "credential_column",
    gate: ["select"],
    risk: "MEDIUM",
    re: /\bselect\b[^;]{0,200}?\b(?:password|passwd|pwd|password_hash|passhash|pass_hash|api_key|apikey|secret_key|private_key|credit_card|card_number|ssn)\b/i,
    explain: "the query reads a credential or card column",
  },
];

export function scanSql(ctx: Ctx, out: Findings): void {
  for (const u of unitsOf(ctx)) {
    for (const v of u.variants) {
      let sqlish: boolean | undefined;
      for (const r of RULES) {
        if (!gated(v.lower, r.gate)) continue;
        if (r.needsSql && !(sqlish ??= LOOKS_SQL.test(v.text))) continue;
        const m = r.re.exec(v.text);
        if (m) out.add(r.what, r.risk, u, `${r.explain}: "${excerpt(m[0], 50)}"`, v);
      }
    }
  }
}
