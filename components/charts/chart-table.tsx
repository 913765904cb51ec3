import type { ReactNode } from "react";
import type { ChartSeries } from "./bar-chart";

/**
 * The figures of a chart as a visually hidden table (the SVG itself is hidden from assistive
 * technology). A table is never narrower than its content, so sr-only's 1px width alone would not
 * keep it out of the layout: the clipping box is the wrapper. `children` follow the table (a line
 * chart's event markers).
 */
export function ChartTable<K extends string, X extends string>({
  title,
  data,
  categoryKey,
  series,
  formatValue,
  formatCategory,
  children,
}: {
  title: string;
  data: readonly (Record<X, string> & Record<K, number>)[];
  categoryKey: X;
  series: readonly ChartSeries<K>[];
  formatValue: (value: number) => string;
  formatCategory: (category: string) => string;
  children?: ReactNode;
}) {
  return (
    <div className="sr-only">
      <table>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{String(categoryKey)}</th>
            {series.map((s) => (
              <th key={s.key} scope="col">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.map((row) => (
            <tr key={row[categoryKey]}>
              <th scope="row">{formatCategory(row[categoryKey])}</th>
              {series.map((s) => (
                <td key={s.key}>{formatValue(row[s.key])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {children}
    </div>
  );
}
