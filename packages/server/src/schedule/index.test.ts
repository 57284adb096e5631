import { describe, it, expect } from "vitest";
import { WINDOWS_TO_IANA_MAP } from "windows-iana";
import {
  type ScheduleInput,
  describeSchedule,
  isKnownTimeZone,
  localToUtc,
  nextRunAfter,
  to12Hour,
  to24Hour,
  utcEcho,
  windowsZoneToIana,
  zoneOffsetMinutes,
} from "./index.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Epoch ms of an ISO-8601 UTC timestamp. */
const at = (iso: string): number => Date.parse(iso);
/** ISO-8601 UTC timestamp of epoch ms (or null). */
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Local weekday and wall-clock time of an instant, read with an independent formatter. */
function wallClock(ms: number, ianaZone: string): string {
  return new Intl.DateTimeFormat("en-US", {
    timeZone: ianaZone,
    weekday: "short",
    hour: "numeric",
    minute: "2-digit",
    hour12: true,
  }).format(ms);
}

function schedule(overrides: Partial<ScheduleInput>): ScheduleInput {
  return {
    Frequency: "Manually",
    StartTimeHour: null,
    StartTimeMinute: null,
    StartTimeAmPm: null,
    DayOfWeekId: null,
    HourInterval: null,
    TimeZoneId: "Eastern Standard Time",
    ...overrides,
  };
}

const weekly = (day: number, hour: number, minute: number, ampm: "AM" | "PM", zone = "Eastern Standard Time"): ScheduleInput =>
  schedule({
    Frequency: "Weekly",
    StartTimeHour: hour,
    StartTimeMinute: minute,
    StartTimeAmPm: ampm,
    DayOfWeekId: day,
    TimeZoneId: zone,
  });

const daily = (hour: number, minute: number, ampm: "AM" | "PM", zone = "Eastern Standard Time"): ScheduleInput =>
  schedule({ Frequency: "Daily", StartTimeHour: hour, StartTimeMinute: minute, StartTimeAmPm: ampm, TimeZoneId: zone });

const hourly = (hours: number): ScheduleInput => schedule({ Frequency: "Hourly", HourInterval: hours });

/** Consecutive runs: each one the next run after the previous. */
function runsFrom(s: ScheduleInput, startMs: number, count: number): number[] {
  const runs: number[] = [];
  let after = startMs;
  for (let i = 0; i < count; i++) {
    const run = nextRunAfter(s, after, startMs);
    if (run === null) throw new Error("expected a run");
    runs.push(run);
    after = run;
  }
  return runs;
}

describe("windowsZoneToIana and isKnownTimeZone", () => {
  it.each([
    ["Eastern Standard Time", "America/New_York"],
    ["Pacific Standard Time", "America/Los_Angeles"],
    ["Tokyo Standard Time", "Asia/Tokyo"],
    // windows-iana lists the legacy link name first; Intl accepts it.
    ["India Standard Time", "Asia/Calcutta"],
    ["AUS Eastern Standard Time", "Australia/Sydney"],
    ["GMT Standard Time", "Europe/London"],
    ["UTC", "Etc/UTC"],
    ["Coordinated Universal Time", "Etc/UTC"],
    ["UTC-11", "Etc/GMT+11"],
  ])("maps the Windows zone %s to %s", (windows, iana) => {
    expect(windowsZoneToIana(windows)).toBe(iana);
    expect(isKnownTimeZone(windows)).toBe(true);
  });

  it.each([
    ["a made-up name", "Nowhere Standard Time"],
    ["the empty string", ""],
    ["a lower-case Windows name", "eastern standard time"],
    ["an IANA id rather than a Windows name", "America/New_York"],
    ["an Object prototype key", "constructor"],
  ])("does not know %s", (_what, name) => {
    expect(windowsZoneToIana(name)).toBeUndefined();
    expect(isKnownTimeZone(name)).toBe(false);
  });

  it("maps every Windows zone windows-iana knows to a zone Intl accepts", () => {
    const names = new Set(WINDOWS_TO_IANA_MAP.map((entry) => entry.windowsName));
    expect(names.size).toBeGreaterThan(100);
    for (const name of names) {
      const iana = windowsZoneToIana(name);
      expect(iana, name).toBeDefined();
      expect(() => zoneOffsetMinutes(iana ?? "", 0), name).not.toThrow();
    }
  });
});

describe("12-hour and 24-hour clock conversions", () => {
  it.each([
    [12, "AM", 0],
    [1, "AM", 1],
    [11, "AM", 11],
    [12, "PM", 12],
    [1, "PM", 13],
    [7, "PM", 19],
    [11, "PM", 23],
  ] as const)("converts %i %s to %i and back", (hour12, ampm, hour24) => {
    expect(to24Hour(hour12, ampm)).toBe(hour24);
    expect(to12Hour(hour24)).toEqual({ hour: hour12, ampm });
  });

  it("round-trips every hour of the day", () => {
    for (let h = 0; h < 24; h++) {
      const { hour, ampm } = to12Hour(h);
      expect(to24Hour(hour, ampm)).toBe(h);
    }
  });

  it.each([0, 13, 1.5, Number.NaN])("rejects the 12-hour clock hour %s", (hour12) => {
    expect(() => to24Hour(hour12, "AM")).toThrow(RangeError);
  });

  it.each([-1, 24, 2.5])("rejects the 24-hour clock hour %s", (hour24) => {
    expect(() => to12Hour(hour24)).toThrow(RangeError);
  });
});

describe("zoneOffsetMinutes", () => {
  it.each([
    ["America/New_York", "2026-07-15T12:00:00Z", -240],
    ["America/New_York", "2026-01-15T12:00:00Z", -300],
    ["Asia/Tokyo", "2026-07-15T12:00:00Z", 540],
    ["Asia/Tokyo", "2026-01-15T12:00:00Z", 540],
    ["Asia/Calcutta", "2026-07-15T12:00:00Z", 330],
    ["Asia/Calcutta", "2026-01-15T12:00:00Z", 330],
    ["Australia/Sydney", "2026-01-15T12:00:00Z", 660],
    ["Australia/Sydney", "2026-07-15T12:00:00Z", 600],
    ["Etc/UTC", "2026-07-15T12:00:00Z", 0],
  ])("gives %s an offset at %s of %i minutes", (zone, when, minutes) => {
    expect(zoneOffsetMinutes(zone, at(when))).toBe(minutes);
  });

  it("switches New York to daylight time at exactly 07:00 UTC on 2026-03-08", () => {
    expect(zoneOffsetMinutes("America/New_York", at("2026-03-08T07:00:00Z") - 1)).toBe(-300);
    expect(zoneOffsetMinutes("America/New_York", at("2026-03-08T07:00:00Z"))).toBe(-240);
  });

  it("switches New York back to standard time at exactly 06:00 UTC on 2026-11-01", () => {
    expect(zoneOffsetMinutes("America/New_York", at("2026-11-01T06:00:00Z") - 1)).toBe(-240);
    expect(zoneOffsetMinutes("America/New_York", at("2026-11-01T06:00:00Z"))).toBe(-300);
  });

  it("throws a RangeError for a zone Intl does not know", () => {
    expect(() => zoneOffsetMinutes("Not/A_Zone", 0)).toThrow(RangeError);
  });
});

describe("localToUtc", () => {
  it.each([
    ["an ordinary summer time in New York", "America/New_York", [2026, 6, 15, 19, 30], "2026-07-15T23:30:00.000Z"],
    ["an ordinary winter time in New York", "America/New_York", [2026, 0, 15, 19, 30], "2026-01-16T00:30:00.000Z"],
    ["a half-hour zone", "Asia/Calcutta", [2026, 0, 15, 9, 0], "2026-01-15T03:30:00.000Z"],
    ["local midnight in Tokyo", "Asia/Tokyo", [2026, 0, 1, 0, 0], "2025-12-31T15:00:00.000Z"],
    ["a day past the end of the month", "Etc/UTC", [2026, 0, 32, 1, 2], "2026-02-01T01:02:00.000Z"],
    ["a two-digit year as a real year", "Etc/UTC", [50, 0, 1, 0, 0], "0050-01-01T00:00:00.000Z"],
  ] as const)("converts %s", (_what, zone, [y, m, d, h, min], expected) => {
    expect(iso(localToUtc(zone, y, m, d, h, min))).toBe(expected);
  });

  it("moves 2:30 AM on the New York spring-forward day forward by the gap, to 3:30 AM EDT", () => {
    const run = localToUtc("America/New_York", 2026, 2, 8, 2, 30);
    expect(iso(run)).toBe("2026-03-08T07:30:00.000Z");
    expect(wallClock(run, "America/New_York")).toBe("Sun 3:30 AM");
  });

  it("keeps the times either side of the New York gap as they are", () => {
    expect(iso(localToUtc("America/New_York", 2026, 2, 8, 1, 59))).toBe("2026-03-08T06:59:00.000Z");
    expect(iso(localToUtc("America/New_York", 2026, 2, 8, 3, 0))).toBe("2026-03-08T07:00:00.000Z");
  });

  it("takes the earlier instant for 1:30 AM on the New York fall-back day", () => {
    expect(iso(localToUtc("America/New_York", 2026, 10, 1, 1, 30))).toBe("2026-11-01T05:30:00.000Z");
  });

  it("moves 2:30 AM on the Sydney spring-forward day (2026-10-04) forward to 3:30 AM", () => {
    const run = localToUtc("Australia/Sydney", 2026, 9, 4, 2, 30);
    expect(iso(run)).toBe("2026-10-03T16:30:00.000Z");
    expect(wallClock(run, "Australia/Sydney")).toBe("Sun 3:30 AM");
  });

  it("takes the earlier (daylight) instant for 2:30 AM on the Sydney fall-back day (2026-04-05)", () => {
    expect(iso(localToUtc("Australia/Sydney", 2026, 3, 5, 2, 30))).toBe("2026-04-04T15:30:00.000Z");
  });
});

describe("nextRunAfter", () => {
  it("never runs a Manually schedule", () => {
    expect(nextRunAfter(schedule({ Frequency: "Manually" }), at("2026-07-15T00:00:00Z"), 0)).toBeNull();
  });

  describe("Daily", () => {
    const evening = daily(7, 30, "PM");

    it.each([
      ["later the same day", "2026-07-15T12:00:00Z", "2026-07-15T23:30:00.000Z"],
      ["a millisecond before the run", "2026-07-15T23:29:59.999Z", "2026-07-15T23:30:00.000Z"],
      ["the next day when asked exactly at the run", "2026-07-15T23:30:00Z", "2026-07-16T23:30:00.000Z"],
      ["the next day when the run has passed", "2026-07-16T00:00:00Z", "2026-07-16T23:30:00.000Z"],
      ["on the local day when the UTC day has already turned", "2026-01-16T00:15:00Z", "2026-01-16T00:30:00.000Z"],
    ])("runs a daily 7:30 PM Eastern backup %s", (_what, after, expected) => {
      expect(iso(nextRunAfter(evening, at(after), 0))).toBe(expected);
    });

    it("runs a daily 12:00 AM Tokyo backup at the next local midnight", () => {
      const run = nextRunAfter(daily(12, 0, "AM", "Tokyo Standard Time"), at("2026-07-15T00:00:00Z"), 0);
      expect(iso(run)).toBe("2026-07-15T15:00:00.000Z");
    });

    it("runs a daily 12:00 PM India backup at 06:30 UTC", () => {
      const run = nextRunAfter(daily(12, 0, "PM", "India Standard Time"), at("2026-01-10T00:00:00Z"), 0);
      expect(iso(run)).toBe("2026-01-10T06:30:00.000Z");
    });

    it("keeps a daily backup at 7:30 PM local across the March change", () => {
      const runs = runsFrom(evening, at("2026-03-06T12:00:00Z"), 4);
      expect(runs.map(iso)).toEqual([
        "2026-03-07T00:30:00.000Z",
        "2026-03-08T00:30:00.000Z",
        "2026-03-08T23:30:00.000Z",
        "2026-03-09T23:30:00.000Z",
      ]);
      for (const run of runs) expect(wallClock(run, "America/New_York")).toMatch(/ 7:30 PM$/);
    });

    it("runs a daily 2:30 AM Eastern backup once, an hour late, on the spring-forward day", () => {
      const runs = runsFrom(daily(2, 30, "AM"), at("2026-03-07T12:00:00Z"), 3);
      expect(runs.map(iso)).toEqual([
        "2026-03-08T07:30:00.000Z", // 3:30 AM EDT: 2:30 AM does not exist
        "2026-03-09T06:30:00.000Z",
        "2026-03-10T06:30:00.000Z",
      ]);
    });

    it("runs a daily 1:30 AM Eastern backup once, at the first 1:30, on the fall-back day", () => {
      const runs = runsFrom(daily(1, 30, "AM"), at("2026-10-31T12:00:00Z"), 3);
      expect(runs.map(iso)).toEqual([
        "2026-11-01T05:30:00.000Z", // 1:30 AM EDT, not the repeated 1:30 AM EST
        "2026-11-02T06:30:00.000Z",
        "2026-11-03T06:30:00.000Z",
      ]);
    });
  });

  describe("Weekly", () => {
    const friday = weekly(5, 7, 30, "PM");

    it("runs a weekly Eastern backup at 23:30 UTC in summer", () => {
      expect(iso(nextRunAfter(friday, at("2026-07-13T00:00:00Z"), 0))).toBe("2026-07-17T23:30:00.000Z");
    });

    it("runs a weekly Eastern backup at 00:30 UTC on Saturday in winter", () => {
      expect(iso(nextRunAfter(friday, at("2026-01-05T00:00:00Z"), 0))).toBe("2026-01-10T00:30:00.000Z");
    });

    it("keeps a weekly Friday backup at 7:30 PM local across the US spring-forward change (2026-03-08)", () => {
      const runs = runsFrom(friday, at("2026-02-23T00:00:00Z"), 4);
      expect(runs.map(iso)).toEqual([
        "2026-02-28T00:30:00.000Z",
        "2026-03-07T00:30:00.000Z",
        "2026-03-13T23:30:00.000Z",
        "2026-03-20T23:30:00.000Z",
      ]);
      for (const run of runs) expect(wallClock(run, "America/New_York")).toBe("Fri 7:30 PM");
      expect((runs[2] ?? 0) - (runs[1] ?? 0)).toBe(7 * DAY - HOUR);
    });

    it("keeps a weekly Friday backup at 7:30 PM local across the US fall-back change (2026-11-01)", () => {
      const runs = runsFrom(friday, at("2026-10-19T00:00:00Z"), 4);
      expect(runs.map(iso)).toEqual([
        "2026-10-23T23:30:00.000Z",
        "2026-10-30T23:30:00.000Z",
        "2026-11-07T00:30:00.000Z",
        "2026-11-14T00:30:00.000Z",
      ]);
      for (const run of runs) expect(wallClock(run, "America/New_York")).toBe("Fri 7:30 PM");
      expect((runs[2] ?? 0) - (runs[1] ?? 0)).toBe(7 * DAY + HOUR);
    });

    it("runs a weekly Sunday Tokyo backup on the coming Sunday", () => {
      const sunday = weekly(0, 10, 0, "AM", "Tokyo Standard Time");
      // Saturday 21:00 JST.
      expect(iso(nextRunAfter(sunday, at("2026-07-18T12:00:00Z"), 0))).toBe("2026-07-19T01:00:00.000Z");
      // Sunday 11:00 JST, after this week's run.
      expect(iso(nextRunAfter(sunday, at("2026-07-19T02:00:00Z"), 0))).toBe("2026-07-26T01:00:00.000Z");
    });

    it("uses the local weekday, not the UTC weekday, to pick the day", () => {
      const fridayMorningTokyo = weekly(5, 8, 0, "AM", "Tokyo Standard Time");
      // Thursday 23:30 UTC is already Friday 08:30 in Tokyo, after this week's run.
      expect(iso(nextRunAfter(fridayMorningTokyo, at("2026-07-16T23:30:00Z"), 0))).toBe("2026-07-23T23:00:00.000Z");
    });

    it("runs a weekly Sunday 2:30 AM Eastern backup at 3:30 AM EDT on the spring-forward Sunday", () => {
      const runs = runsFrom(weekly(0, 2, 30, "AM"), at("2026-02-26T00:00:00Z"), 3);
      expect(runs.map(iso)).toEqual(["2026-03-01T07:30:00.000Z", "2026-03-08T07:30:00.000Z", "2026-03-15T06:30:00.000Z"]);
      expect(runs.map((run) => wallClock(run, "America/New_York"))).toEqual(["Sun 2:30 AM", "Sun 3:30 AM", "Sun 2:30 AM"]);
    });

    it("runs a weekly Sunday 1:30 AM Eastern backup once on the fall-back Sunday", () => {
      const runs = runsFrom(weekly(0, 1, 30, "AM"), at("2026-10-29T00:00:00Z"), 2);
      expect(runs.map(iso)).toEqual(["2026-11-01T05:30:00.000Z", "2026-11-08T06:30:00.000Z"]);
    });

    it("still runs a Friday backup when Samoa skipped all of Friday 2011-12-30", () => {
      // Samoa jumped from UTC-10 to UTC+14 at the end of Thursday 2011-12-29: Friday
      // 10:00 AM never happened, so the run moves forward by the 24-hour gap, which
      // lands on Saturday local time. Asking on that Saturday before the run still finds it.
      const friday10 = weekly(5, 10, 0, "AM", "Samoa Standard Time");
      expect(iso(nextRunAfter(friday10, at("2011-12-29T19:00:00Z"), 0))).toBe("2011-12-30T20:00:00.000Z");
      expect(iso(nextRunAfter(friday10, at("2011-12-30T19:00:00Z"), 0))).toBe("2011-12-30T20:00:00.000Z");
      expect(iso(nextRunAfter(friday10, at("2011-12-30T20:00:00Z"), 0))).toBe("2012-01-05T20:00:00.000Z");
    });

    it("keeps a weekly Monday 9:00 AM Sydney backup at local time across the April change", () => {
      const runs = runsFrom(weekly(1, 9, 0, "AM", "AUS Eastern Standard Time"), at("2026-03-25T00:00:00Z"), 3);
      expect(runs.map(iso)).toEqual([
        "2026-03-29T22:00:00.000Z", // Monday 9:00 AEDT (UTC+11)
        "2026-04-05T23:00:00.000Z", // Monday 9:00 AEST (UTC+10)
        "2026-04-12T23:00:00.000Z",
      ]);
      for (const run of runs) expect(wallClock(run, "Australia/Sydney")).toBe("Mon 9:00 AM");
    });
  });

  describe("Hourly", () => {
    const anchor = at("2014-07-28T00:00:00Z");

    it.each([
      ["before the anchor", anchor - 10 * DAY, anchor + 4 * HOUR],
      ["at the anchor", anchor, anchor + 4 * HOUR],
      ["just after the anchor", anchor + 1, anchor + 4 * HOUR],
      ["exactly at a run", anchor + 8 * HOUR, anchor + 12 * HOUR],
      ["just before a run", anchor + 12 * HOUR - 1, anchor + 12 * HOUR],
    ])("runs every 4 hours from the anchor when asked %s", (_what, after, expected) => {
      expect(nextRunAfter(hourly(4), after, anchor)).toBe(expected);
    });

    it("computes the next run arithmetically with the anchor years in the past", () => {
      const after = at("2026-07-15T12:34:56.789Z");
      const run = nextRunAfter(hourly(5), after, anchor);
      // 2014-07-28 to 2026-07-15 is 4370 days = 104880 hours = 20976 five-hour steps exactly,
      // so the run at 2026-07-15T10:00Z is before `after` and the next is at 15:00Z.
      expect(iso(run)).toBe("2026-07-15T15:00:00.000Z");
    });

    it("answers instantly for an anchor thousands of years in the past", () => {
      const after = at("9999-12-31T23:59:59.999Z");
      const run = nextRunAfter(hourly(7), after, at("0001-01-01T00:00:00Z"));
      expect(run).not.toBeNull();
      expect((run ?? 0) > after).toBe(true);
      expect((run ?? 0) - 7 * HOUR <= after).toBe(true);
    });

    it("keeps a fixed UTC interval across DST changes", () => {
      const runs = runsFrom(hourly(23), at("2026-03-07T00:00:00Z"), 3);
      expect(runs[1]! - runs[0]!).toBe(23 * HOUR);
      expect(runs[2]! - runs[1]!).toBe(23 * HOUR);
    });

    it("ignores the time zone", () => {
      expect(nextRunAfter({ ...hourly(2), TimeZoneId: "Nowhere" }, anchor, anchor)).toBe(anchor + 2 * HOUR);
    });
  });

  it("throws a RangeError for a daily or weekly schedule in an unknown time zone", () => {
    expect(() => nextRunAfter(daily(7, 30, "PM", "Nowhere Standard Time"), 0, 0)).toThrow(RangeError);
    expect(() => nextRunAfter(weekly(5, 7, 30, "PM", "Nowhere Standard Time"), 0, 0)).toThrow(RangeError);
  });

  it.each([
    ["a daily schedule without a start hour", schedule({ Frequency: "Daily", StartTimeMinute: 0, StartTimeAmPm: "AM" })],
    ["a daily schedule with an empty AM/PM", { ...daily(7, 30, "PM"), StartTimeAmPm: "" as const }],
    ["a weekly schedule without a day", { ...weekly(5, 7, 30, "PM"), DayOfWeekId: null }],
    ["a weekly schedule with day 7", { ...weekly(5, 7, 30, "PM"), DayOfWeekId: 7 }],
    ["an hourly schedule without an interval", schedule({ Frequency: "Hourly" })],
  ])("returns null rather than throwing for %s", (_what, s) => {
    expect(nextRunAfter(s, at("2026-07-15T00:00:00Z"), 0)).toBeNull();
  });
});

describe("utcEcho", () => {
  it("reproduces the reference example: Friday 7:30 PM Eastern created in summer echoes as 11:30 PM Friday", () => {
    const s = weekly(5, 7, 30, "PM");
    const created = at("2014-07-28T00:00:00Z");
    expect(nextRunAfter(s, created, created)).toBe(1406935800000);
    expect(utcEcho(s, created)).toEqual({
      StartTimeHour: 11,
      StartTimeMinute: 30,
      StartTimeAmPm: "PM",
      DayOfWeekId: 5,
    });
  });

  it("shifts a winter Friday 7:30 PM Eastern run to 12:30 AM Saturday", () => {
    expect(utcEcho(weekly(5, 7, 30, "PM"), at("2026-01-05T00:00:00Z"))).toEqual({
      StartTimeHour: 12,
      StartTimeMinute: 30,
      StartTimeAmPm: "AM",
      DayOfWeekId: 6,
    });
  });

  it("uses the offset in force at the next run, not at the time of the call", () => {
    const s = weekly(5, 7, 30, "PM");
    // Thursday 2026-03-05 (EST): the next run, Friday 03-06, is still EST.
    expect(utcEcho(s, at("2026-03-05T12:00:00Z"))).toMatchObject({ StartTimeHour: 12, StartTimeAmPm: "AM", DayOfWeekId: 6 });
    // Saturday 2026-03-07 (EST): the next run, Friday 03-13, is EDT.
    expect(utcEcho(s, at("2026-03-07T12:00:00Z"))).toMatchObject({ StartTimeHour: 11, StartTimeAmPm: "PM", DayOfWeekId: 5 });
  });

  it("wraps Sunday back to Saturday for a zone ahead of UTC", () => {
    expect(utcEcho(weekly(0, 12, 30, "AM", "Tokyo Standard Time"), at("2026-07-15T00:00:00Z"))).toEqual({
      StartTimeHour: 3,
      StartTimeMinute: 30,
      StartTimeAmPm: "PM",
      DayOfWeekId: 6,
    });
  });

  it("echoes a Monday 9:00 AM Sydney backup as Sunday 10:00 PM UTC in January (daylight time)", () => {
    expect(utcEcho(weekly(1, 9, 0, "AM", "AUS Eastern Standard Time"), at("2026-01-01T00:00:00Z"))).toEqual({
      StartTimeHour: 10,
      StartTimeMinute: 0,
      StartTimeAmPm: "PM",
      DayOfWeekId: 0,
    });
  });

  it("echoes a Monday 9:00 AM Sydney backup as Sunday 11:00 PM UTC in July (standard time)", () => {
    expect(utcEcho(weekly(1, 9, 0, "AM", "AUS Eastern Standard Time"), at("2026-07-01T00:00:00Z"))).toMatchObject({
      StartTimeHour: 11,
      StartTimeAmPm: "PM",
      DayOfWeekId: 0,
    });
  });

  it("echoes a daily 7:30 PM India backup as 2:00 PM with no day", () => {
    expect(utcEcho(daily(7, 30, "PM", "India Standard Time"), at("2026-07-15T00:00:00Z"))).toEqual({
      StartTimeHour: 2,
      StartTimeMinute: 0,
      StartTimeAmPm: "PM",
      DayOfWeekId: null,
    });
  });

  it.each([
    ["Manually", schedule({ Frequency: "Manually" })],
    ["Hourly", hourly(4)],
  ])("echoes no start time for a %s schedule", (_what, s) => {
    expect(utcEcho(s, at("2026-07-15T00:00:00Z"))).toEqual({
      StartTimeHour: null,
      StartTimeMinute: null,
      StartTimeAmPm: "",
      DayOfWeekId: null,
    });
  });
});

describe("describeSchedule", () => {
  it.each([
    ["Weekly on Friday at 7:30 PM Eastern Standard Time", weekly(5, 7, 30, "PM")],
    ["Weekly on Sunday at 2:05 AM UTC", weekly(0, 2, 5, "AM", "UTC")],
    ["Daily at 12:05 AM Tokyo Standard Time", daily(12, 5, "AM", "Tokyo Standard Time")],
    ["Every 4 hours", hourly(4)],
    ["Every hour", hourly(1)],
    ["Manually", schedule({ Frequency: "Manually" })],
    ["Daily (no start time set)", schedule({ Frequency: "Daily" })],
    ["Weekly (no day set) at 7:30 PM Eastern Standard Time", { ...weekly(5, 7, 30, "PM"), DayOfWeekId: null }],
    ["Hourly (no interval set)", schedule({ Frequency: "Hourly" })],
  ])("describes a schedule as %s", (text, s) => {
    expect(describeSchedule(s)).toBe(text);
  });
});
