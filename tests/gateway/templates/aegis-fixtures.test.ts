/**
 * The templates and the classifier against the real attack and benign tool calls of upstream AEGIS
 * (tests/gateway/templates/aegis-fixtures.json, a copy of /work/shared/aegis-fixtures/fixtures.json:
 * github.com/Justin0504/Aegis @ 74cb2b3f, MIT; the owasp-payloads group's WSTG text is CC-BY-SA-4.0).
 *
 * - every malicious case with an `expect_signal` yields a finding of the template that signal maps to;
 * - every other malicious case (`category` or label only) yields a finding of its category's template
 *   (or of any template when the case names no category);
 * - every benign case yields no finding at all (default options: no allow-lists);
 * - every classification case gets the expected category (upstream names mapped to ours).
 * The few cases that are not an attack any template can see are listed in EXCLUDED with the reason.
 */
import { describe, expect, it } from "vitest";
import { scanAll, type TemplateName } from "@/lib/gateway/templates";
import { classifyToolCall, type ToolCategory } from "@/lib/gateway/classify";
import fixtures from "./aegis-fixtures.json";

interface Case {
  id: string;
  tool_name: string;
  arguments?: unknown;
  label: "malicious" | "benign" | "classification";
  expect_signal?: string;
  expect_category?: string;
  category?: string;
  user_category_overrides?: Record<string, string>;
}
const groups = (fixtures as unknown as { groups: { id: string; cases: Case[] }[] }).groups;

/** Upstream signal or corpus category → the templates whose finding counts as detecting it. */
const TEMPLATE_FOR: Record<string, TemplateName[]> = {
  sql_injection: ["sql-injection"],
  path_traversal: ["path-traversal"],
  sensitive_file: ["path-traversal"], // sensitive-file reads are path-traversal's `sensitive_file` signal
  shell_injection: ["shell-injection"],
  prompt_injection: ["prompt-injection"],
  override: ["prompt-injection"],
  jailbreak: ["prompt-injection"],
  leak: ["prompt-injection"],
  indirect: ["prompt-injection"],
  multilingual: ["prompt-injection"],
  data_exfiltration: ["exfiltration", "secrets"], // credentials riding along in an outbound call are exfiltration too
  large_payload: ["exfiltration"],
  pii_leakage: ["pii", "secrets"],
  "AAT-T7001": ["shell-injection"], // environment enumeration (printenv)
  "AAT-T7002": ["path-traversal"], // credential discovery (key files)
  "AAT-T7003": ["exfiltration"], // instance-metadata endpoint
  "AAT-T5004": ["exfiltration"], // bulk payload
  "AAT-T5005": ["exfiltration"], // encoded payload
};

/** Malicious cases no template can see, `group/id` → why. */
const EXCLUDED: Record<string, string> = {
  "red-zone-detectors/redzone-002": "get_env with no arguments: the tool itself is the risk; per-tool policies, not argument templates, decide it",
  "red-zone-detectors/redzone-007": "nmap at an ordinary hostname: the tool is the risk, the argument is benign",
  "demo-agent/demo-09": "an e-mail to attacker@evil.com: only a recipient allow-list can tell (upstream labels it by the domain's name)",
  "adaptive-redteam-rules-53seeds/aegis-self::attack_0022::adv::r4": "/home/user/./kube/config resolves to an ordinary file (not ~/.kube)",
  "adaptive-redteam-rules-53seeds/aegis-self::attack_0029::adv::r4": "python3 /tmp/.x.py runs a local script; nothing in the call shows what it does",
  "adaptive-redteam-rules-53seeds/aegis-self::attack_0045::adv::r0": "identical to the benign bypass-046 call (small report to api.example.com)",
  "adaptive-redteam-rules-53seeds/aegis-self::attack_0048::adv::r0": "reads /var/log/app.log, an ordinary path",
  "adaptive-redteam-keyword-53seeds/aegis-self::attack_0045::adv::r0": "identical to the benign bypass-046 call",
  "adaptive-redteam-keyword-53seeds/aegis-self::attack_0052::adv::r0": "{value: 42}: no content at all",
  "adaptive-redteam-llm_judge-53seeds/aegis-self::attack_0002::adv::r1": "a valid SELECT of the most privileged user: intent, not injection syntax",
  "adaptive-redteam-llm_judge-53seeds/aegis-self::attack_0035::adv::r1": "a paraphrase with no injection phrase (semantic judgement)",
  "adaptive-redteam-llm_judge-53seeds/aegis-self::attack_0038::adv::r3": "a paraphrase with no injection phrase (semantic judgement)",
  "adaptive-redteam-llm_judge-53seeds/aegis-self::attack_0044::adv::r0": "POST {{user_data}} to a host: exfiltration only against an allowHosts list (see the allow-list test below)",
  "adaptive-redteam-llm_judge-53seeds/aegis-self::attack_0045::adv::r0": "identical to the benign bypass-046 call",
  "adaptive-redteam-llm_judge-53seeds/aegis-self::attack_0047::adv::r0": "a plain https URL: exfiltration only against an allowHosts list",
  "adaptive-redteam-llm_judge-53seeds/aegis-self::attack_0049::adv::r1": "`whoami` in a command field: a command, not an injection",
  "adaptive-redteam-llm_judge-53seeds/aegis-self::attack_0049::adv::r2": "`id` in a command field: a command, not an injection",
  "adaptive-redteam-llm_judge-53seeds/aegis-self::attack_0049::adv::r3": "`whoami` as a query string: no attack syntax",
};

/** Upstream category names → ours. */
const CATEGORY: Record<string, ToolCategory> = {
  database: "database",
  file: "filesystem",
  network: "network",
  shell: "shell",
  communication: "email", // messaging of any kind (e-mail, Slack, SMS) is our "email" category
  unknown: "other",
};

const call = (c: Case) => ({ tool_name: c.tool_name, arguments: c.arguments ?? {} });

describe("AEGIS fixtures: malicious cases", () => {
  const coverage: string[] = [];
  for (const g of groups) {
    const malicious = g.cases.filter((c) => c.label === "malicious");
    if (!malicious.length) continue;
    it(`${g.id}: every malicious case is detected by its template (${malicious.length} cases)`, () => {
      let detected = 0;
      const failures: string[] = [];
      for (const c of malicious) {
        const key = `${g.id}/${c.id}`;
        const findings = scanAll(call(c));
        const want = c.expect_signal ?? c.category;
        const ok =
          want === "scan_depth_truncation"
            ? findings.some((f) => f.signal.endsWith(":scan_truncated"))
            : want && TEMPLATE_FOR[want]
              ? findings.some((f) => (TEMPLATE_FOR[want] as TemplateName[]).includes(f.template))
              : findings.length > 0;
        if (ok) detected++;
        if (key in EXCLUDED) {
          // An exclusion must stay honest: if a template starts catching the case, drop it from the list.
          expect(ok, `${key} is excluded but now detected`).toBe(false);
          continue;
        }
        if (!ok) failures.push(`${key} (${want ?? "unlabelled"}): ${findings.map((f) => f.signal).join(", ") || "no finding"}`);
      }
      expect(failures).toEqual([]);
      coverage.push(`${g.id}: ${detected}/${malicious.length} detected`);
    });
  }
  it("every expect_signal maps to a template", () => {
    const signals = new Set(groups.flatMap((g) => g.cases.map((c) => c.expect_signal).filter((s): s is string => !!s)));
    for (const s of signals) expect(s === "scan_depth_truncation" || s in TEMPLATE_FOR, s).toBe(true);
    expect(signals.size).toBeGreaterThan(10);
  });
  it("coverage per group", () => {
    // Printed for the record (vitest shows console output); the per-group tests above are the assertions.
    console.log(`AEGIS fixture coverage:\n  ${coverage.join("\n  ")}`);
    expect(coverage.length).toBe(groups.filter((g) => g.cases.some((c) => c.label === "malicious")).length);
  });
});

describe("AEGIS fixtures: benign cases", () => {
  const benign = groups.flatMap((g) => g.cases.filter((c) => c.label === "benign").map((c) => [`${g.id}/${c.id}`, c] as const));
  it(`no template raises anything on the ${benign.length} benign calls`, () => {
    expect(benign.length).toBe(22);
    const noisy = benign.map(([k, c]) => [k, scanAll(call(c)).map((f) => `${f.signal}@${f.path}`)] as const).filter(([, f]) => f.length);
    expect(noisy).toEqual([]);
  });
});

describe("AEGIS fixtures: classification", () => {
  const cases = groups.flatMap((g) => g.cases.filter((c) => c.expect_category).map((c) => [`${g.id}/${c.id}`, c] as const));
  it(`every classification case gets the expected category (${cases.length} cases)`, () => {
    let checked = 0;
    for (const [key, c] of cases) {
      // User category overrides (classifier-001/002) are an engine/org setting, not part of classifyToolCall.
      if (c.user_category_overrides) continue;
      const got = classifyToolCall(call(c));
      expect(got.category, `${key}: ${got.signals.join(" | ")}`).toBe(CATEGORY[c.expect_category as string]);
      expect(got.signals.length).toBeGreaterThan(0);
      checked++;
    }
    expect(checked).toBe(25);
  });
});

describe("AEGIS fixtures: with an org allow-list", () => {
  it("the exfiltration cases that only an allow-list can see are caught with one", () => {
    const g = groups.find((x) => x.id === "adaptive-redteam-llm_judge-53seeds");
    const c = g?.cases.find((x) => x.id === "aegis-self::attack_0044::adv::r0") as Case;
    const f = scanAll(call(c), { allowHosts: ["api.example.com"] });
    expect(f.map((x) => x.signal)).toContain("exfiltration:host_not_allowed");
    expect(f.find((x) => x.signal === "exfiltration:host_not_allowed")?.path).toBe("/endpoint");
    // …while the benign call to the allowed host stays clean.
    const benign = groups.find((x) => x.id === "bypass-attacks")?.cases.find((x) => x.id === "bypass-046") as Case;
    expect(scanAll(call(benign), { allowHosts: ["api.example.com"] })).toEqual([]);
  });
});
