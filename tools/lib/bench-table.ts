/** The bench tools' figures as a Markdown table (one row a figure, the goal in its own column where it has one). */
export function table(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => "| " + header.map((_, i) => (cells[i] ?? "").padEnd(widths[i]!)).join(" | ") + " |";
  console.log(`\n${title}`);
  console.log(line(header));
  console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
  for (const r of rows) console.log(line(r));
}

/** `--name=N` from the command line; `fallback` when absent, negative or not a number. */
export function numberArg(name: string, fallback: number): number {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  const v = hit ? Number(hit.split("=")[1]) : fallback;
  return Number.isFinite(v) && v >= 0 ? v : fallback;
}
