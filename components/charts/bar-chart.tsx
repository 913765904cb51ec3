"use client";

import { Bar, BarChart as RechartsBarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartTable } from "./chart-table";

/** One series of a chart: the data field it reads, its label, and a colour token (a CSS variable from globals.css). */
export type ChartSeries<K extends string> = { key: K; label: string; color: string };

export type BarChartProps<K extends string, X extends string> = {
  /** What the chart shows, for screen readers (the figure's name and the data table's caption). */
  title: string;
  data: readonly (Record<X, string> & Record<K, number>)[];
  /** The field naming each category (a day, a signer's limit…). */
  categoryKey: X;
  series: readonly ChartSeries<K>[];
  /** Bars side by side in one stack (decisions per day) or one bar per category. */
  stacked?: boolean;
  /** "columns": categories along the bottom; "rows": one horizontal bar per category (long labels). */
  orientation?: "columns" | "rows";
  height?: number;
  /** Upper end of the value axis (e.g. 100 for percentages); from the data when absent. */
  max?: number;
  formatValue?: (value: number) => string;
  formatCategory?: (category: string) => string;
};

const axisTick = { fill: "var(--fg-muted)", fontSize: 12 };

/**
 * The one bar chart of the dashboard (Recharts, client-side): the same axes, colours, tooltip and
 * accessible table wherever it is used. The SVG is hidden from assistive technology; a visually
 * hidden table carries the same figures.
 */
export function BarChart<K extends string, X extends string>({
  title,
  data,
  categoryKey,
  series,
  stacked = false,
  orientation = "columns",
  height = 220,
  max,
  formatValue = (v) => String(v),
  formatCategory = (c) => c,
}: BarChartProps<K, X>) {
  const rows = orientation === "rows";
  const valueAxis = { type: "number" as const, domain: [0, max ?? "auto"] as [number, number | "auto"], tick: axisTick, tickFormatter: formatValue, allowDecimals: false, stroke: "var(--border-strong)" };
  const categoryAxis = { type: "category" as const, dataKey: categoryKey, tick: axisTick, tickFormatter: formatCategory, stroke: "var(--border-strong)" };
  return (
    <figure data-chart={title} className="min-w-0">
      <div aria-hidden="true" style={{ height }} className="w-full min-w-0">
        <ResponsiveContainer width="100%" height="100%" minWidth={0}>
          <RechartsBarChart data={[...data]} layout={rows ? "vertical" : "horizontal"} margin={{ top: 4, right: 8, bottom: 0, left: rows ? 0 : -16 }} accessibilityLayer={false}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" horizontal={!rows} vertical={rows} />
            {rows ? <XAxis {...valueAxis} /> : <XAxis {...categoryAxis} interval="preserveStartEnd" />}
            {rows ? <YAxis {...categoryAxis} width={112} /> : <YAxis {...valueAxis} width={48} />}
            <Tooltip
              cursor={{ fill: "var(--surface-muted)" }}
              formatter={(value) => formatValue(Number(value))}
              labelFormatter={(label) => formatCategory(String(label))}
              contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)", borderRadius: 8, color: "var(--fg)", fontSize: 12 }}
              labelStyle={{ color: "var(--fg)" }}
            />
            {series.length > 1 ? <Legend wrapperStyle={{ fontSize: 12, color: "var(--fg-muted)" }} /> : null}
            {series.map((s) => (
              <Bar
                key={s.key}
                dataKey={s.key}
                name={s.label}
                fill={s.color}
                stackId={stacked ? "stack" : undefined}
                radius={stacked ? 0 : 4}
                maxBarSize={rows ? 18 : 32}
                background={rows && !stacked ? { fill: "var(--chart-track)", radius: 4 } : undefined}
                isAnimationActive={false}
              />
            ))}
          </RechartsBarChart>
        </ResponsiveContainer>
      </div>
      <ChartTable title={title} data={data} categoryKey={categoryKey} series={series} formatValue={formatValue} formatCategory={formatCategory} />
    </figure>
  );
}
