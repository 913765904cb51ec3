import { WEEKDAYS, type Weekday } from "./types";

export interface LocalTime {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  /** 0-23 */
  hour: number;
  minute: number;
  second: number;
  weekday: Weekday;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      weekday: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Canonical IANA name, or null when the runtime does not know the zone. */
export function canonicalTimeZone(timeZone: string): string | null {
  if (timeZone.trim() === "") return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const WEEKDAY_BY_SHORT: Record<string, Weekday> = {
  Sun: "sun", Mon: "mon", Tue: "tue", Wed: "wed", Thu: "thu", Fri: "fri", Sat: "sat",
};

function localTimeViaIntl(at: Date, timeZone: string): LocalTime {
  const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, weekday: "sun" as Weekday };
  for (const part of formatterFor(timeZone).formatToParts(at)) {
    switch (part.type) {
      case "year": out.year = Number(part.value); break;
      case "month": out.month = Number(part.value); break;
      case "day": out.day = Number(part.value); break;
      case "hour": out.hour = Number(part.value); break;
      case "minute": out.minute = Number(part.value); break;
      case "second": out.second = Number(part.value); break;
      case "weekday": out.weekday = WEEKDAY_BY_SHORT[part.value] ?? "sun"; break;
      default: break;
    }
  }
  return out;
}

const BUCKET_MS = 15 * 60 * 1000;
const MAX_CACHED_BUCKETS = 4096;
/** Zone offset per 15-minute bucket, or null when the offset changes inside the bucket. */
const offsetCache = new Map<string, number | null>();

function bucketOffset(ms: number, timeZone: string): number | null {
  const bucket = Math.floor(ms / BUCKET_MS);
  const key = `${timeZone}|${bucket}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    const first = offsetAt(bucket * BUCKET_MS, timeZone);
    const last = offsetAt((bucket + 1) * BUCKET_MS - 1000, timeZone);
    offset = first === last ? first : null;
    if (offsetCache.size >= MAX_CACHED_BUCKETS) offsetCache.clear();
    offsetCache.set(key, offset);
  }
  return offset;
}

/**
 * Wall-clock fields of `at` in `timeZone`. Intl is slow (tens of µs per call), so the zone's offset
 * is cached per 15-minute bucket and applied arithmetically; buckets that contain a transition fall
 * back to Intl.
 */
export function localTime(at: Date, timeZone: string): LocalTime {
  const ms = at.getTime();
  const offset = bucketOffset(ms, timeZone);
  if (offset === null) return localTimeViaIntl(at, timeZone);
  const d = new Date(ms + offset);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: WEEKDAYS[d.getUTCDay()] ?? "sun",
  };
}

/** Offset of the zone from UTC at `ms`, in ms (positive east of Greenwich), at second precision. */
function offsetAt(ms: number, timeZone: string): number {
  const l = localTimeViaIntl(new Date(ms), timeZone);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * First instant of the calendar month containing `now` in `timeZone`. Local midnight of the 1st is
 * mapped back through the zone offset; if a DST gap swallows that midnight, the first existing
 * local instant of the month is returned.
 */
export function monthStart(now: Date, timeZone: string): Date {
  const l = localTime(now, timeZone);
  const wall = Date.UTC(l.year, l.month - 1, 1);
  let candidate = wall - offsetAt(wall, timeZone);
  for (let i = 0; i < 3; i++) {
    const next = wall - offsetAt(candidate, timeZone);
    if (next === candidate) break;
    candidate = next;
  }
  // In a gap both offsets overshoot into the previous month; step forward to the month's start.
  for (let step = 0; step < 96 && localTime(new Date(candidate), timeZone).month !== l.month; step++) {
    candidate += 15 * 60 * 1000;
  }
  return new Date(candidate);
}

/** Exclusive lower bound of a rolling window: events with start < at ≤ now are inside it. */
export function rollingWindowStart(now: Date, windowSeconds: number): Date {
  return new Date(now.getTime() - windowSeconds * 1000);
}
