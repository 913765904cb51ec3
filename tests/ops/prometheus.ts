/**
 * GET /metrics read by independent Prometheus text-format parsers, never by prom-client, which wrote
 * it. parse-prometheus-text-format (a port of the Python client's parser) reads the whole document;
 * it folds the series of a labelled histogram into one, so histograms are read with prom2javascript
 * instead — which in turn cannot read NaN samples (prom-client's event-loop gauges right after a
 * reset), so it is given the countersign_* families only.
 */
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { getMetricsFromIterator, type PromHistogramData } from "prom2javascript";
import { GET as metricsRoute } from "@/app/metrics/route";
import { call } from "../helpers/http";

type Sample = { value?: string; labels?: Record<string, string> };
export type Family = { name: string; help: string; type: string; metrics: Sample[] };
export type Scrape = { families: Family[]; histograms: Record<string, { type: string; data: unknown[] }> };

export async function parse(text: string): Promise<Scrape> {
  const families = parsePrometheusTextFormat(text) as Family[];
  const ours = text.split("\n").filter((l) => /^(# (HELP|TYPE) )?countersign_/.test(l));
  const histograms = await getMetricsFromIterator(ours[Symbol.iterator]());
  return { families, histograms };
}

export async function scrape(headers: Record<string, string> = {}): Promise<Scrape> {
  const r = await call(metricsRoute, "GET", "/metrics", { headers });
  if (r.status !== 200) throw new Error(`/metrics answered ${r.status}: ${r.text}`);
  const type = r.headers.get("content-type") ?? "";
  if (!type.startsWith("text/plain; version=0.0.4")) throw new Error(`unexpected content type ${type}`);
  return parse(r.text);
}

const matches = (labels: Record<string, string> | undefined, want: Record<string, string>) => Object.entries(want).every(([k, v]) => labels?.[k] === v);

export function family(s: Scrape, name: string): Family | undefined {
  return s.families.find((f) => f.name === name);
}

/** Sum of the counter or gauge samples of `name` whose labels include `labels` (0 when none exists yet). */
export function value(s: Scrape, name: string, labels: Record<string, string> = {}): number {
  const f = family(s, name);
  if (!f) return 0;
  if (f.type !== "COUNTER" && f.type !== "GAUGE") throw new Error(`${name} is a ${f.type}`);
  return f.metrics.filter((m) => matches(m.labels, labels)).reduce((sum, m) => sum + Number(m.value), 0);
}

/** The histogram series of `name` with exactly these labels. */
export function histogram(s: Scrape, name: string, labels: Record<string, string>): PromHistogramData | undefined {
  const f = s.histograms[name];
  if (f && f.type !== "histogram") throw new Error(`${name} is a ${f.type}`);
  return (f?.data as PromHistogramData[] | undefined)?.find((d) => matches(d.labels, labels) && Object.keys(d.labels).length === Object.keys(labels).length);
}
