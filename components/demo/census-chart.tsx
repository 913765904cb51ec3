"use client";

import { BarChart } from "../charts/bar-chart";

export type CensusView = { totalAgents: number; byNationality: Record<string, number>; byAgeBracket: Record<string, number>; ofacClear: number; minBucket: number };

/** The demo census aggregate: agents per nationality and per age bracket (counts only). */
export function CensusCharts({ census }: { census: CensusView }) {
  const nationality = Object.entries(census.byNationality).map(([k, n]) => ({ nationality: k, agents: n }));
  const age = Object.entries(census.byAgeBracket).map(([k, n]) => ({ bracket: k, agents: n }));
  return (
    <div className="grid gap-6 md:grid-cols-2">
      <BarChart title="Agents per nationality" data={nationality} categoryKey="nationality" orientation="rows" series={[{ key: "agents", label: "Agents", color: "var(--chart-1)" }]} height={Math.max(96, 40 + nationality.length * 34)} />
      <BarChart title="Agents per age bracket" data={age} categoryKey="bracket" series={[{ key: "agents", label: "Agents", color: "var(--chart-allowed)" }]} height={200} />
    </div>
  );
}
