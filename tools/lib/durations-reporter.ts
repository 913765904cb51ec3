import { writeFileSync } from "node:fs";
import type { Reporter, TestModule } from "vitest/node";

/**
 * A vitest reporter for tools/test.ts: each test file's time in its worker (environment, setup,
 * import, hooks and tests), as JSON { "tests/…": ms } to the file named by TEST_DURATIONS_OUT.
 */
export default class DurationsReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const out = process.env.TEST_DURATIONS_OUT;
    if (!out) return;
    const durations: Record<string, number> = {};
    for (const m of modules) {
      const d = m.diagnostic();
      durations[m.relativeModuleId] = Math.round(d.environmentSetupDuration + d.prepareDuration + d.setupDuration + d.collectDuration + d.duration);
    }
    writeFileSync(out, JSON.stringify(durations));
  }
}
