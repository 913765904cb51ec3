import { describe, expect, it } from "vitest";
import { evaluateBuiltins, rateWindowStart, usageQuery } from "@/lib/policy/builtin";
import { decodeRequest } from "@/lib/policy/decode";
import { PolicyRequestError } from "@/lib/policy/errors";
import { localTime, monthStart } from "@/lib/policy/time";
import type { ActivePolicy, PolicyRequest, UsageSnapshot } from "@/lib/policy/types";
import { usageFromEvents } from "@/lib/policy/usage";
import { BOB, eth, ethTx, personalMessage, policy, usage } from "./fixtures";

function violationsAt(p: ActivePolicy, at: string, request: PolicyRequest = ethTx(BOB, 1n), u: UsageSnapshot = usage()) {
  return evaluateBuiltins([p], { decoded: decodeRequest(request), usage: u, now: new Date(at) });
}
const allowedAt = (p: ActivePolicy, at: string) => violationsAt(p, at).length === 0;

describe("time_window", () => {
  it("wraps past midnight: [22:00, 06:00) local", () => {
    const night = policy("time_window", { timeZone: "UTC", hours: { startHour: 22, endHour: 6 } });
    expect(allowedAt(night, "2026-06-10T21:59:59Z")).toBe(false);
    expect(allowedAt(night, "2026-06-10T22:00:00Z")).toBe(true);
    expect(allowedAt(night, "2026-06-10T23:59:59Z")).toBe(true);
    expect(allowedAt(night, "2026-06-11T00:00:00Z")).toBe(true);
    expect(allowedAt(night, "2026-06-11T05:59:59Z")).toBe(true);
    expect(allowedAt(night, "2026-06-11T06:00:00Z")).toBe(false);
  });

  it("follows America/New_York across the 2026-03-08 DST change", () => {
    const office = policy("time_window", { timeZone: "America/New_York", hours: { startHour: 9, endHour: 17 } });
    // 13:30 UTC is 08:30 EST on Friday 6 March but 09:30 EDT on Monday 9 March.
    expect(allowedAt(office, "2026-03-06T13:30:00Z")).toBe(false);
    expect(allowedAt(office, "2026-03-09T13:30:00Z")).toBe(true);
    expect(allowedAt(office, "2026-03-09T12:59:59Z")).toBe(false);
    expect(allowedAt(office, "2026-03-09T20:59:59Z")).toBe(true);
    expect(allowedAt(office, "2026-03-09T21:00:00Z")).toBe(false);
  });

  it("wraps midnight through the New York spring-forward night", () => {
    const night = policy("time_window", { timeZone: "America/New_York", hours: { startHour: 22, endHour: 6 } });
    expect(allowedAt(night, "2026-03-08T06:59:59Z")).toBe(true); // 01:59:59 EST
    expect(allowedAt(night, "2026-03-08T07:00:00Z")).toBe(true); // 03:00:00 EDT
    expect(allowedAt(night, "2026-03-08T09:59:59Z")).toBe(true); // 05:59:59 EDT
    expect(allowedAt(night, "2026-03-08T10:00:00Z")).toBe(false); // 06:00 EDT
    expect(allowedAt(night, "2026-03-07T10:00:00Z")).toBe(true); // 05:00 EST the day before
  });

  it("follows Europe/Berlin across the 2026-03-29 DST change", () => {
    const office = policy("time_window", { timeZone: "Europe/Berlin", hours: { startHour: 9, endHour: 17 }, weekdays: ["mon", "tue", "wed", "thu", "fri"] });
    expect(allowedAt(office, "2026-03-27T07:30:00Z")).toBe(false); // Fri 08:30 CET
    expect(allowedAt(office, "2026-03-27T08:00:00Z")).toBe(true); // Fri 09:00 CET
    expect(allowedAt(office, "2026-03-30T07:00:00Z")).toBe(true); // Mon 09:00 CEST
    expect(allowedAt(office, "2026-03-30T06:59:59Z")).toBe(false); // Mon 08:59 CEST
  });

  it("reads weekdays in the configured zone and explains a refusal", () => {
    const weekdays = policy("time_window", { timeZone: "Asia/Tokyo", weekdays: ["mon", "tue", "wed", "thu", "fri"] }, "tw");
    // Friday 23:30 UTC is already Saturday 08:30 in Tokyo.
    expect(violationsAt(weekdays, "2026-06-12T23:30:00Z")).toEqual([
      { policyId: "tw", type: "time_window", message: "Signing is only allowed Mon, Tue, Wed, Thu, Fri (Asia/Tokyo); it is Sat 08:30 there" },
    ]);
    expect(allowedAt(weekdays, "2026-06-12T14:00:00Z")).toBe(true);
  });

  it("applies to message signing too", () => {
    const night = policy("time_window", { timeZone: "UTC", hours: { startHour: 22, endHour: 6 } });
    expect(violationsAt(night, "2026-06-10T12:00:00Z", personalMessage)[0]?.message).toBe(
      "Signing is only allowed 22:00–06:00 (UTC); it is Wed 12:00 there",
    );
  });
});

describe("rate_limit", () => {
  const rate = policy("rate_limit", { maxRequests: 3, windowSeconds: 3600 }, "rate");
  const now = new Date("2026-06-10T12:00:00Z");

  it("allows the Nth request and refuses the N+1th", () => {
    expect(violationsAt(rate, now.toISOString(), ethTx(BOB, 1n), usage({ requestCounts: { "3600": 2 } }))).toEqual([]);
    expect(violationsAt(rate, now.toISOString(), ethTx(BOB, 1n), usage({ requestCounts: { "3600": 3 } }))).toEqual([
      { policyId: "rate", type: "rate_limit", message: "Rate limit of 3 requests per 1 h reached" },
    ]);
  });

  it("insists the caller supplies the count for its window", () => {
    expect(() => violationsAt(rate, now.toISOString(), ethTx(BOB, 1n), usage({ requestCounts: { "60": 0 } }))).toThrow(PolicyRequestError);
  });

  it("drops a request exactly one window old, keeps one a millisecond younger", () => {
    const start = rateWindowStart(now, 3600).getTime();
    expect(start).toBe(now.getTime() - 3_600_000);
    const events = (oldest: number) => [oldest, now.getTime() - 60_000, now.getTime() - 1].map((t) => ({ at: new Date(t), spend: [] }));
    const atEdge = usageFromEvents(events(start), now, [rate]);
    expect(atEdge.requestCounts["3600"]).toBe(2);
    expect(violationsAt(rate, now.toISOString(), ethTx(BOB, 1n), atEdge)).toEqual([]);
    const inside = usageFromEvents(events(start + 1), now, [rate]);
    expect(inside.requestCounts["3600"]).toBe(3);
    expect(violationsAt(rate, now.toISOString(), ethTx(BOB, 1n), inside)).toHaveLength(1);
  });
});

describe("localTime", () => {
  const zones = ["America/New_York", "Europe/Berlin", "Asia/Kathmandu", "Australia/Lord_Howe", "America/St_Johns"];
  const formats = new Map(
    zones.map((timeZone) => [
      timeZone,
      new Intl.DateTimeFormat("en-US", {
        timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", weekday: "short",
      }),
    ]),
  );
  const oracle = (at: Date, timeZone: string) => {
    const parts = formats.get(timeZone)?.formatToParts(at) ?? [];
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
    return `${get("year")}-${get("month")}-${get("day")} ${Number(get("hour"))}:${Number(get("minute"))} ${get("weekday").toLowerCase()}`;
  };

  it("matches Intl across DST transitions, including 30-minute and 45-minute zones", () => {
    const windows = ["2026-03-07T00:00:00Z", "2026-03-28T00:00:00Z", "2026-04-04T00:00:00Z", "2026-10-03T00:00:00Z", "2026-10-31T00:00:00Z"];
    let checked = 0;
    for (const timeZone of zones) {
      for (const start of windows) {
        const from = new Date(start).getTime();
        for (let t = from; t < from + 3 * 86_400_000; t += 29 * 60_000 + 7_000) {
          const at = new Date(t);
          const l = localTime(at, timeZone);
          expect(`${l.year}-${l.month}-${l.day} ${l.hour}:${l.minute} ${l.weekday}`).toBe(oracle(at, timeZone));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(3500);
  });

  it("is exact on both sides of a transition instant", () => {
    // New York springs forward at 07:00 UTC on 2026-03-08: 01:59:59 EST is followed by 03:00:00 EDT.
    expect(localTime(new Date("2026-03-08T06:59:59Z"), "America/New_York")).toMatchObject({ hour: 1, minute: 59, second: 59 });
    expect(localTime(new Date("2026-03-08T07:00:00Z"), "America/New_York")).toMatchObject({ hour: 3, minute: 0, second: 0 });
    // Berlin falls back at 01:00 UTC on 2026-10-25: 02:59:59 CEST is followed by 02:00:00 CET.
    expect(localTime(new Date("2026-10-25T00:59:59Z"), "Europe/Berlin")).toMatchObject({ hour: 2, minute: 59 });
    expect(localTime(new Date("2026-10-25T01:00:00Z"), "Europe/Berlin")).toMatchObject({ hour: 2, minute: 0 });
  });
});

describe("window boundaries", () => {
  it("reads local midnight as hour 0 with the local weekday", () => {
    expect(localTime(new Date("2026-06-10T22:00:00Z"), "Europe/Berlin")).toEqual({
      year: 2026, month: 6, day: 11, hour: 0, minute: 0, second: 0, weekday: "thu",
    });
  });

  it("monthStart uses the zone's calendar month, DST included", () => {
    expect(monthStart(new Date("2026-06-10T12:00:00Z"), "UTC").toISOString()).toBe("2026-06-01T00:00:00.000Z");
    expect(monthStart(new Date("2026-06-10T12:00:00Z"), "Europe/Berlin").toISOString()).toBe("2026-05-31T22:00:00.000Z");
    // 22:30 UTC on 30 June is already 1 July in Berlin.
    expect(monthStart(new Date("2026-06-30T22:30:00Z"), "Europe/Berlin").toISOString()).toBe("2026-06-30T22:00:00.000Z");
    expect(monthStart(new Date("2026-03-20T12:00:00Z"), "America/New_York").toISOString()).toBe("2026-03-01T05:00:00.000Z");
    expect(monthStart(new Date("2026-04-20T12:00:00Z"), "America/New_York").toISOString()).toBe("2026-04-01T04:00:00.000Z");
  });

  it("monthStart lands on the first existing instant when DST skips midnight", () => {
    // Paraguay sprang forward at 00:00 on 1 October 2017, so the month began at 01:00 local (UTC-3).
    expect(monthStart(new Date("2017-10-15T12:00:00Z"), "America/Asuncion").toISOString()).toBe("2017-10-01T04:00:00.000Z");
  });

  it("usageFromEvents applies each window's bounds", () => {
    const monthly = policy("monthly_limit", { maxAmount: "1", timeZone: "Europe/Berlin" });
    const now = new Date("2026-06-10T12:00:00Z");
    const spend = (amount: bigint) => [{ asset: "native" as const, amount }];
    const u = usageFromEvents(
      [
        { at: new Date("2026-05-31T21:59:59.999Z"), spend: spend(1n) }, // May in Berlin
        { at: new Date("2026-05-31T22:00:00Z"), spend: spend(10n) }, // first instant of June in Berlin
        { at: new Date("2026-06-09T12:00:00Z"), spend: spend(100n) }, // exactly 24 h ago: outside the daily window
        { at: new Date("2026-06-09T12:00:00.001Z"), spend: spend(1000n) },
        { at: new Date("2026-06-10T12:00:00.001Z"), spend: spend(10000n) }, // in the future
      ],
      now,
      [monthly],
    );
    expect(u.monthly["Europe/Berlin"]).toEqual({ native: 1110n });
    expect(u.rolling24h).toEqual({ native: 1000n });
  });

  it("usageQuery lists the windows the DB layer must aggregate", () => {
    const now = new Date("2026-06-10T12:00:00Z");
    const q = usageQuery(
      [
        policy("monthly_limit", { maxAmount: "1", timeZone: "Europe/Berlin" }),
        policy("monthly_limit", { maxAmount: "1" }),
        policy("rate_limit", { maxRequests: 1, windowSeconds: 60 }),
        policy("daily_limit", { maxAmount: eth("1").toString() }),
      ],
      now,
    );
    expect(q.rolling24hStart.toISOString()).toBe("2026-06-09T12:00:00.000Z");
    expect(Object.fromEntries(Object.entries(q.monthStarts).map(([k, v]) => [k, v.toISOString()]))).toEqual({
      "Europe/Berlin": "2026-05-31T22:00:00.000Z",
      UTC: "2026-06-01T00:00:00.000Z",
    });
    expect(q.rateWindowStarts["60"]?.toISOString()).toBe("2026-06-10T11:59:00.000Z");
  });
});
