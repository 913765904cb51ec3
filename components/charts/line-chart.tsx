"use client";

import { CartesianGrid, Legend, Line, LineChart as RechartsLineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ChartSeries } from "./bar-chart";
import { ChartTable } from "./chart-table";

/** A point of the category axis to mark (a configuration change…), with the label shown beside its line. */
export type ChartMarker = { at: string; label: string; color: string };

export type LineChartProps<K extends string, X extends string> = {
  /** What the chart shows, for screen readers (the figure's name and the data table's caption). */
  title: string;
  data: readonly (Record<X, string> & Record<K, number>)[];
  /** The field naming each point along the bottom (unique per point). */
  categoryKey: X;
  series: readonly ChartSeries<K>[];
  /** Vertical lines at these categories, labelled; they are also listed under the accessible table. */
  markers?: readonly ChartMarker[];
  /** A per-point dot colour (e.g. by the event's kind); points without one get no dot. */
  dotColor?: (row: Record<X, string> & Record<K, number>) => string | null;
  height?: number;
  min?: number;
  max?: number;
  formatValue?: (value: number) => string;
  formatCategory?: (category: string) => string;
};

const axisTick = { fill: "var(--fg-muted)", fontSize: 12 };

/**
 * The line variant of the dashboard's chart (Recharts, client-side), with BarChart's axes, colours,
 * tooltip and accessible table: values over a sequence of points (a score after each event), with
 * optional markers (vertical lines) and per-point dots. The SVG is hidden from assistive
 * technology; a visually hidden table carries the same figures and the markers.
 */
export function LineChart<K extends string, X extends string>({
  title,
  data,
  categoryKey,
  series,
  markers = [],
  dotColor,
  height = 220,
  min = 0,
  max,
  formatValue = (v) => String(v),
  formatCategory = (c) => c,
}: LineChartProps<K, X>) {
  const rows = [...data];
  return (
    <figure data-chart={title} className="min-w-0">
      <div aria-hidden="true" style={{ height }} className="w-full min-w-0">
        <ResponsiveContainer width="100%" height="100%" minWidth={0}>
          <RechartsLineChart data={rows} margin={{ top: 16, right: 12, bottom: 0, left: -16 }} accessibilityLayer={false}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
            <XAxis type="category" dataKey={categoryKey} tick={axisTick} tickFormatter={formatCategory} stroke="var(--border-strong)" interval="preserveStartEnd" minTickGap={24} />
            <YAxis type="number" domain={[min, max ?? "auto"]} tick={axisTick} tickFormatter={formatValue} allowDecimals={false} stroke="var(--border-strong)" width={48} />
            <Tooltip
              formatter={(value) => formatValue(Number(value))}
              labelFormatter={(label) => formatCategory(String(label))}
              contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)", borderRadius: 8, color: "var(--fg)", fontSize: 12 }}
              labelStyle={{ color: "var(--fg)" }}
            />
            {series.length > 1 ? <Legend wrapperStyle={{ fontSize: 12, color: "var(--fg-muted)" }} /> : null}
            {markers.map((m, i) => (
              <ReferenceLine key={`${m.at}-${i}`} x={m.at} stroke={m.color} strokeDasharray="4 3" label={{ value: m.label, position: "top", fill: "var(--fg-muted)", fontSize: 11 }} />
            ))}
            {series.map((s, i) => (
              <Line
                key={s.key}
                type="monotone"
                dataKey={s.key}
                name={s.label}
                stroke={s.color}
                strokeWidth={i === 0 ? 2 : 1.5}
                dot={
                  i === 0 && dotColor
                    ? (props: { cx?: number; cy?: number; index?: number; payload?: Record<X, string> & Record<K, number> }) => {
                        const color = props.payload ? dotColor(props.payload) : null;
                        return <circle key={`dot-${props.index}`} cx={props.cx} cy={props.cy} r={color ? 3.5 : 0} fill={color ?? "none"} stroke="var(--surface)" strokeWidth={1} />;
                      }
                    : false
                }
                isAnimationActive={false}
              />
            ))}
          </RechartsLineChart>
        </ResponsiveContainer>
      </div>
      <ChartTable title={title} data={data} categoryKey={categoryKey} series={series} formatValue={formatValue} formatCategory={formatCategory}>
        {markers.length ? (
          <ul>
            {markers.map((m, i) => (
              <li key={`${m.at}-${i}`}>
                {formatCategory(m.at)}: {m.label}
              </li>
            ))}
          </ul>
        ) : null}
      </ChartTable>
    </figure>
  );
}
