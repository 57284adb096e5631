/**
 * Pure schedule arithmetic for the simulated Rackspace Cloud Backup service.
 *
 * Nothing in this module reads the clock: every function that needs "now"
 * takes it as an argument, in epoch milliseconds. Time-zone offsets come from
 * `Intl.DateTimeFormat` (the ICU data bundled with Node), and Windows
 * time-zone names ("Eastern Standard Time") are mapped to IANA zones with
 * `findIana` from the `windows-iana` package.
 *
 * @module
 */
import { localParts, localToUtc, to12Hour, to24Hour, utcFields, windowsZoneToIana } from "./zones.js";

export { isKnownTimeZone, localToUtc, to12Hour, to24Hour, windowsZoneToIana, zoneOffsetMinutes } from "./zones.js";

/** How often a backup configuration runs (the service's `Frequency` values). */
export type Frequency = "Manually" | "Hourly" | "Daily" | "Weekly";

/** The schedule fields of a backup configuration, with the service's JSON names. */
export interface ScheduleInput {
  Frequency: Frequency;
  /** 1..12, 12-hour clock, local to `TimeZoneId` (Daily/Weekly). */
  StartTimeHour: number | null;
  /** 0..59 (Daily/Weekly). */
  StartTimeMinute: number | null;
  /** (Daily/Weekly). */
  StartTimeAmPm: "AM" | "PM" | "" | null;
  /** 0 Sunday .. 6 Saturday (Weekly), local to `TimeZoneId`. */
  DayOfWeekId: number | null;
  /** 1..23 (Hourly). */
  HourInterval: number | null;
  /** Windows time-zone name, e.g. "Eastern Standard Time". */
  TimeZoneId: string;
}

/** Schedule times as the service echoes them back: converted to UTC. */
export interface UtcEcho {
  StartTimeHour: number | null;
  StartTimeMinute: number | null;
  StartTimeAmPm: "AM" | "PM" | "";
  DayOfWeekId: number | null;
}

const HOUR_MS = 3_600_000;

const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

/** The 24-hour start time of a Daily/Weekly schedule, or undefined if its fields are unusable. */
function startTime24(schedule: ScheduleInput): { hour24: number; minute: number } | undefined {
  const { StartTimeHour: hour, StartTimeMinute: minute, StartTimeAmPm: ampm } = schedule;
  if (hour === null || minute === null || (ampm !== "AM" && ampm !== "PM")) return undefined;
  if (!Number.isInteger(hour) || hour < 1 || hour > 12) return undefined;
  if (!Number.isInteger(minute) || minute < 0 || minute > 59) return undefined;
  return { hour24: to24Hour(hour, ampm), minute };
}

function isDayOfWeek(day: number | null): day is number {
  return day !== null && Number.isInteger(day) && day >= 0 && day <= 6;
}

function requireZone(name: string): string {
  const zone = windowsZoneToIana(name);
  if (zone === undefined) throw new RangeError(`Unknown time zone: ${JSON.stringify(name)}`);
  return zone;
}

/**
 * The first instant strictly after `afterMs` at which the schedule runs.
 *
 * - Manually: `null`.
 * - Daily: the next occurrence of StartTimeHour:StartTimeMinute StartTimeAmPm,
 *   local to TimeZoneId.
 * - Weekly: the next occurrence of that local time on local weekday DayOfWeekId.
 * - Hourly: `anchorMs + k * HourInterval` hours for the smallest k >= 1 that
 *   is after `afterMs`, computed in O(1). Hourly runs are a fixed UTC
 *   interval, so DST changes move their local wall-clock time.
 *
 * Daily and Weekly runs keep their local wall-clock time across DST changes;
 * a start time inside a spring-forward gap or a fall-back overlap resolves as
 * in {@link localToUtc} (later by the gap; the earlier of the two instants).
 * Only Daily and Weekly consult TimeZoneId; `anchorMs` is used only by Hourly.
 * Fields a frequency needs that are null or out of range give `null`
 * rather than an error.
 *
 * @param schedule The schedule fields of a backup configuration.
 * @param afterMs Runs at or before this instant (epoch ms) are excluded.
 * @param anchorMs When the configuration was created or last updated (epoch ms).
 * @returns The run instant in epoch ms, or `null` if the schedule never runs.
 * @throws {RangeError} For Daily/Weekly with a TimeZoneId that {@link isKnownTimeZone} rejects.
 * @example
 * nextRunAfter(
 *   { Frequency: "Weekly", StartTimeHour: 7, StartTimeMinute: 30, StartTimeAmPm: "PM",
 *     DayOfWeekId: 5, HourInterval: null, TimeZoneId: "Eastern Standard Time" },
 *   Date.UTC(2014, 6, 28), Date.UTC(2014, 6, 28),
 * ); // 1406935800000, 2014-08-01T23:30:00Z (Friday 7:30 PM EDT)
 */
export function nextRunAfter(schedule: ScheduleInput, afterMs: number, anchorMs: number): number | null {
  switch (schedule.Frequency) {
    case "Hourly": {
      const hours = schedule.HourInterval;
      if (hours === null || !Number.isFinite(hours) || hours <= 0) return null;
      if (!Number.isFinite(afterMs) || !Number.isFinite(anchorMs)) return null;
      const interval = hours * HOUR_MS;
      const k = Math.max(1, Math.floor((afterMs - anchorMs) / interval) + 1);
      const run = anchorMs + k * interval;
      // Guard against floating-point rounding for huge or fractional inputs.
      return run > afterMs ? run : run + interval;
    }
    case "Daily":
    case "Weekly": {
      const zone = requireZone(schedule.TimeZoneId);
      const start = startTime24(schedule);
      if (start === undefined || !Number.isFinite(afterMs)) return null;
      const weekly = schedule.Frequency === "Weekly";
      if (weekly && !isDayOfWeek(schedule.DayOfWeekId)) return null;
      const today = localParts(zone, afterMs);
      // From the day before the local date of afterMs (in case a gap pushes
      // yesterday's run past afterMs) through eight days ahead, the first
      // eligible day whose run is after afterMs. At most ten days: O(1).
      for (let offset = -1; offset <= 8; offset++) {
        const noon = utcFields(today.year, today.monthIndex0, today.day + offset, 12, 0);
        if (weekly && new Date(noon).getUTCDay() !== schedule.DayOfWeekId) continue;
        const date = new Date(noon);
        const run = localToUtc(zone, date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), start.hour24, start.minute);
        if (run > afterMs) return run;
      }
      return null; // Unreachable for valid input.
    }
    default:
      return null; // "Manually" (and anything unrecognised) never runs on its own.
  }
}

/**
 * The schedule times as the real service echoes them: converted to UTC.
 *
 * For Daily and Weekly, the UTC instant of the next run after `nowMs` is
 * computed (so the offset in force at that run is used) and its UTC hour,
 * minute and, for Weekly, weekday are reported. A Weekly Friday 7:30 PM
 * Eastern schedule echoes as Friday 11:30 PM in summer and Saturday
 * 12:30 AM in winter. Daily keeps its DayOfWeekId (normally null).
 * Manually, Hourly, and Daily/Weekly schedules with unusable fields give
 * null times and "" for StartTimeAmPm.
 *
 * @param schedule The schedule fields as configured.
 * @param nowMs The current time (epoch ms), e.g. when the configuration was saved.
 * @returns The UTC start time fields.
 * @throws {RangeError} For Daily/Weekly with an unknown TimeZoneId (see {@link nextRunAfter}).
 * @example
 * utcEcho(
 *   { Frequency: "Weekly", StartTimeHour: 7, StartTimeMinute: 30, StartTimeAmPm: "PM",
 *     DayOfWeekId: 5, HourInterval: null, TimeZoneId: "Eastern Standard Time" },
 *   Date.UTC(2014, 6, 28),
 * ); // { StartTimeHour: 11, StartTimeMinute: 30, StartTimeAmPm: "PM", DayOfWeekId: 5 }
 */
export function utcEcho(schedule: ScheduleInput, nowMs: number): UtcEcho {
  const none: UtcEcho = { StartTimeHour: null, StartTimeMinute: null, StartTimeAmPm: "", DayOfWeekId: null };
  if (schedule.Frequency !== "Daily" && schedule.Frequency !== "Weekly") return none;
  const run = nextRunAfter(schedule, nowMs, nowMs);
  if (run === null) return none;
  const date = new Date(run);
  const { hour, ampm } = to12Hour(date.getUTCHours());
  return {
    StartTimeHour: hour,
    StartTimeMinute: date.getUTCMinutes(),
    StartTimeAmPm: ampm,
    DayOfWeekId: schedule.Frequency === "Weekly" ? date.getUTCDay() : schedule.DayOfWeekId,
  };
}

/**
 * A one-line human description of a schedule, in its own (local) terms.
 *
 * Never throws: fields a frequency needs that are missing are described as such.
 *
 * @param schedule The schedule fields of a backup configuration.
 * @returns E.g. "Weekly on Friday at 7:30 PM Eastern Standard Time",
 *   "Daily at 12:05 AM Tokyo Standard Time", "Every 4 hours", "Every hour", "Manually".
 * @example
 * describeSchedule({ Frequency: "Hourly", StartTimeHour: null, StartTimeMinute: null,
 *   StartTimeAmPm: null, DayOfWeekId: null, HourInterval: 4, TimeZoneId: "UTC" }); // "Every 4 hours"
 */
export function describeSchedule(schedule: ScheduleInput): string {
  const at = (): string => {
    const { StartTimeHour: hour, StartTimeMinute: minute, StartTimeAmPm: ampm } = schedule;
    if (startTime24(schedule) === undefined || hour === null || minute === null) {
      return "(no start time set)";
    }
    const zone = schedule.TimeZoneId === "" ? "" : ` ${schedule.TimeZoneId}`;
    return `at ${hour}:${String(minute).padStart(2, "0")} ${ampm}${zone}`;
  };
  switch (schedule.Frequency) {
    case "Manually":
      return "Manually";
    case "Hourly": {
      const hours = schedule.HourInterval;
      if (hours === null) return "Hourly (no interval set)";
      return hours === 1 ? "Every hour" : `Every ${hours} hours`;
    }
    case "Daily":
      return `Daily ${at()}`;
    case "Weekly": {
      const day = schedule.DayOfWeekId;
      const on = isDayOfWeek(day) ? `on ${DAY_NAMES[day]}` : "(no day set)";
      return `Weekly ${on} ${at()}`;
    }
    default:
      return String(schedule.Frequency);
  }
}
