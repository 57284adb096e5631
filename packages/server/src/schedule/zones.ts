/**
 * Time zones for schedules: Windows time-zone names mapped to IANA zones, offsets read from
 * `Intl.DateTimeFormat`, local wall-clock times converted to UTC instants. Nothing here reads
 * the clock.
 *
 * @module
 */
import { findIana } from "windows-iana";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * Windows display names that `findIana` does not know, mapped to the Windows
 * id it does know. `findIana("UTC")` works (first result "Etc/UTC"), but the
 * display name "Coordinated Universal Time" returns [].
 */
const WINDOWS_NAME_ALIASES: Readonly<Record<string, string>> = {
  "Coordinated Universal Time": "UTC",
};

/**
 * Maps a Windows time-zone name to an IANA zone id.
 *
 * Uses the first result of `findIana`, which is the CLDR "001" (primary)
 * zone for that Windows name. Matching is exact and case-sensitive, as in
 * `windows-iana`. "UTC" maps to "Etc/UTC"; the display name
 * "Coordinated Universal Time", unknown to `windows-iana`, maps there too.
 * IANA ids themselves ("America/New_York") are not Windows names and are not
 * accepted.
 *
 * @param name A Windows time-zone name.
 * @returns The IANA zone id, or `undefined` for an unknown name.
 * @example
 * windowsZoneToIana("Eastern Standard Time"); // "America/New_York"
 * windowsZoneToIana("Nowhere Standard Time"); // undefined
 */
export function windowsZoneToIana(name: string): string | undefined {
  // findIana scans its whole table; names repeat, so remember each answer.
  if (zoneCache.has(name)) return zoneCache.get(name);
  const windowsName = Object.hasOwn(WINDOWS_NAME_ALIASES, name) ? (WINDOWS_NAME_ALIASES[name] ?? name) : name;
  const zone = findIana(windowsName)[0];
  if (zoneCache.size < 1024) zoneCache.set(name, zone);
  return zone;
}

const zoneCache = new Map<string, string | undefined>();

/**
 * Whether `name` is a Windows time-zone name this module can schedule in.
 *
 * @param name A Windows time-zone name.
 * @returns `true` when {@link windowsZoneToIana} maps it to an IANA zone.
 * @example
 * isKnownTimeZone("Tokyo Standard Time"); // true
 * isKnownTimeZone("Asia/Tokyo"); // false (an IANA id, not a Windows name)
 */
export function isKnownTimeZone(name: string): boolean {
  return windowsZoneToIana(name) !== undefined;
}

/**
 * Converts a 12-hour clock hour to a 24-hour clock hour (12 AM is 0, 12 PM is 12).
 *
 * @param hour12 An integer from 1 to 12.
 * @param ampm "AM" or "PM".
 * @returns An integer from 0 to 23.
 * @throws {RangeError} If `hour12` is not an integer from 1 to 12.
 * @example
 * to24Hour(7, "PM"); // 19
 */
export function to24Hour(hour12: number, ampm: "AM" | "PM"): number {
  if (!Number.isInteger(hour12) || hour12 < 1 || hour12 > 12) {
    throw new RangeError(`hour12 must be an integer from 1 to 12, got ${hour12}`);
  }
  return (hour12 % 12) + (ampm === "PM" ? 12 : 0);
}

/**
 * Converts a 24-hour clock hour to a 12-hour clock hour (0 is 12 AM, 12 is 12 PM).
 *
 * @param hour24 An integer from 0 to 23.
 * @returns The hour (1..12) and "AM"/"PM".
 * @throws {RangeError} If `hour24` is not an integer from 0 to 23.
 * @example
 * to12Hour(0); // { hour: 12, ampm: "AM" }
 */
export function to12Hour(hour24: number): { hour: number; ampm: "AM" | "PM" } {
  if (!Number.isInteger(hour24) || hour24 < 0 || hour24 > 23) {
    throw new RangeError(`hour24 must be an integer from 0 to 23, got ${hour24}`);
  }
  return { hour: hour24 % 12 === 0 ? 12 : hour24 % 12, ampm: hour24 < 12 ? "AM" : "PM" };
}

/** One formatter per IANA zone; constructing them is the expensive part. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(ianaZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(ianaZone);
  if (formatter === undefined) {
    // Throws RangeError for a zone ICU does not know.
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: ianaZone,
      hourCycle: "h23",
      era: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(ianaZone, formatter);
  }
  return formatter;
}

/** Epoch ms of a proleptic-Gregorian UTC date-time; fields overflow like `Date.UTC`. */
export function utcFields(y: number, monthIndex0: number, day: number, hour: number, minute: number): number {
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0..99 to 1900..1999.
  date.setUTCFullYear(y, monthIndex0, day);
  date.setUTCHours(hour, minute, 0, 0);
  return date.getTime();
}

interface LocalDate {
  year: number;
  monthIndex0: number;
  day: number;
}

/** The local calendar date of an instant, plus the local wall time read as if it were UTC. */
export function localParts(ianaZone: string, atUtcMs: number): LocalDate & { wallMs: number } {
  const wholeSecondMs = Math.floor(atUtcMs / 1000) * 1000;
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const part of formatterFor(ianaZone).formatToParts(wholeSecondMs)) {
    switch (part.type) {
      case "era":
        bc = part.value === "BC" || part.value === "B";
        break;
      case "year":
        year = Number(part.value);
        break;
      case "month":
        month = Number(part.value);
        break;
      case "day":
        day = Number(part.value);
        break;
      case "hour":
        hour = Number(part.value) % 24; // Guard against "24" for midnight.
        break;
      case "minute":
        minute = Number(part.value);
        break;
      case "second":
        second = Number(part.value);
        break;
      default:
        break;
    }
  }
  if (bc) year = 1 - year;
  const wallMs = utcFields(year, month - 1, day, hour, minute) + second * 1000 + (atUtcMs - wholeSecondMs);
  return { year, monthIndex0: month - 1, day, wallMs };
}

/** Offset of the zone from UTC at an instant, in milliseconds (local = UTC + offset). */
function offsetMs(ianaZone: string, atUtcMs: number): number {
  return localParts(ianaZone, atUtcMs).wallMs - atUtcMs;
}

/**
 * Offset of an IANA zone from UTC at an instant, in minutes (local = UTC + offset).
 *
 * For the local mean times of the 19th century the result can be fractional
 * (ICU reports those offsets to the second); modern offsets are whole minutes.
 *
 * @param ianaZone An IANA zone id, e.g. "America/New_York".
 * @param atUtcMs The instant, in epoch milliseconds.
 * @returns Minutes east of UTC, e.g. -240 for New York in July, 330 for Kolkata.
 * @throws {RangeError} If the zone is not known to `Intl` or the instant is not a valid date.
 * @example
 * zoneOffsetMinutes("America/New_York", Date.UTC(2026, 0, 15)); // -300
 */
export function zoneOffsetMinutes(ianaZone: string, atUtcMs: number): number {
  return offsetMs(ianaZone, atUtcMs) / MINUTE_MS;
}

/**
 * Epoch milliseconds of a local wall-clock time in an IANA zone, DST-aware.
 *
 * - A local time that does not exist (the spring-forward gap) is moved
 *   forward by the length of the gap: 02:30 on the day New York springs from
 *   02:00 to 03:00 becomes 03:30 EDT.
 * - A local time that occurs twice (the fall-back overlap) resolves to the
 *   earlier instant: 01:30 on the day New York falls back is 01:30 EDT, not EST.
 *
 * This matches the "compatible" disambiguation of Temporal and of
 * RFC 5545 for nonexistent times. Out-of-range fields overflow as in
 * `Date.UTC` (day 32 of January is February 1).
 *
 * @param ianaZone An IANA zone id.
 * @param y The full year (0..99 are years 0..99, not 1900..1999).
 * @param monthIndex0 The month, 0 for January.
 * @param day The day of the month, from 1.
 * @param hour24 The hour, 0..23.
 * @param minute The minute, 0..59.
 * @returns The instant, in epoch milliseconds.
 * @throws {RangeError} If the zone is not known to `Intl`.
 * @example
 * localToUtc("America/New_York", 2026, 2, 8, 2, 30); // Date.UTC(2026, 2, 8, 7, 30): 03:30 EDT
 */
export function localToUtc(ianaZone: string, y: number, monthIndex0: number, day: number, hour24: number, minute: number): number {
  const wall = utcFields(y, monthIndex0, day, hour24, minute);
  // Assumes no zone changes its offset twice within a day of any wall time
  // (true of all tzdata), so the offsets a day either side are the only
  // candidates.
  const before = offsetMs(ianaZone, wall - DAY_MS);
  const after = offsetMs(ianaZone, wall + DAY_MS);
  let earliest: number | undefined;
  for (const offset of before === after ? [before] : [before, after]) {
    const candidate = wall - offset;
    if (offsetMs(ianaZone, candidate) === offset && (earliest === undefined || candidate < earliest)) {
      earliest = candidate;
    }
  }
  // No candidate: the wall time is in a gap. Reading it with the offset in
  // force before the gap lands the same distance past the gap's end.
  return earliest ?? wall - before;
}
