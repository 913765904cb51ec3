"use client";

import type { DecisionDay, SpendBar } from "@/lib/overview/aggregate";
import { BarChart } from "../charts/bar-chart";

const weekday = new Intl.DateTimeFormat("en", { weekday: "short", day: "numeric", timeZone: "UTC" });
const dayLabel = (day: string) => weekday.format(new Date(`${day}T00:00:00Z`));

/** Decisions allowed / denied / pending per UTC day, stacked. */
export function DecisionsChart({ days }: { days: readonly DecisionDay[] }) {
  return (
    <BarChart
      title="Decisions per day, last 7 days"
      data={days}
      categoryKey="day"
      stacked
      series={[
        { key: "allowed", label: "Allowed", color: "var(--chart-allowed)" },
        { key: "denied", label: "Denied", color: "var(--chart-denied)" },
        { key: "pending", label: "Pending", color: "var(--chart-pending)" },
      ]}
      formatCategory={dayLabel}
      height={200}
    />
  );
}

/** Each limit's use in percent, one horizontal bar per signer and window (figures listed below it). */
export function SpendChart({ bars }: { bars: readonly SpendBar[] }) {
  const data = bars.map((b) => ({ limit: `${b.signerName} · ${b.window}`, used: b.percent }));
  return (
    <BarChart
      title="Spend against limits, percent used"
      data={data}
      categoryKey="limit"
      orientation="rows"
      series={[{ key: "used", label: "Used", color: "var(--chart-1)" }]}
      max={100}
      formatValue={(v) => `${Math.round(v)}%`}
      height={Math.max(96, 40 + bars.length * 34)}
    />
  );
}
