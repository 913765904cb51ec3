/** Child processes of this test process, from Linux's /proc. */
import { readdirSync, readFileSync } from "node:fs";

/** Live (not zombie) children of this process whose command line includes `arg`. */
export function childrenRunning(arg: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[0] === "Z" || Number(fields[1]) !== process.pid) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").includes(arg)) pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

/** childrenRunning(arg) once the kernel has reaped what was killed (a kill is delivered at once, the exit a little later). */
export async function childrenLeft(arg: string): Promise<number[]> {
  for (let i = 0; i < 100 && childrenRunning(arg).length; i++) await new Promise((r) => setTimeout(r, 20));
  return childrenRunning(arg);
}
