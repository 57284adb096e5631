const MS_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

/**
 * Reads a Microsoft JSON date, the service's date format: `/Date(1357817400000)/`
 * (milliseconds since the Unix epoch). Negative values are accepted
 * (`/Date(-62135578800000)/` is .NET's "never"), and so is an offset suffix
 * (`/Date(1357817400000-0500)/`), which only says in which zone the value was written:
 * the milliseconds are UTC either way. `null` gives `null`.
 *
 * @throws RangeError when the value is not of that form.
 * @example
 * ```ts
 * parseMsDate("/Date(1357817400000)/").toISOString(); // "2013-01-10T11:30:00.000Z"
 * ```
 */
export function parseMsDate(value: string): Date;
export function parseMsDate(value: null): null;
export function parseMsDate(value: string | null): Date | null;
export function parseMsDate(value: string | null): Date | null {
  if (value === null) return null;
  if (typeof value !== "string") throw new RangeError(`Not a Microsoft JSON date: ${String(value)}`);
  // Raw JSON may escape the slashes; JSON.parse already removed the backslashes, but a
  // string copied out of a log may still carry them.
  const match = MS_DATE.exec(value.replaceAll("\\/", "/"));
  if (!match) throw new RangeError(`Not a Microsoft JSON date: ${JSON.stringify(value)}`);
  const ms = Number(match[1]);
  const date = new Date(ms);
  if (!Number.isSafeInteger(ms) || Number.isNaN(date.getTime())) throw new RangeError(`Date out of range: ${JSON.stringify(value)}`);
  return date;
}

/**
 * Writes a date the way the service does: `/Date(<ms>)/`.
 *
 * @throws RangeError for an invalid date.
 * @example
 * ```ts
 * formatMsDate(new Date(1357817400000)); // "/Date(1357817400000)/"
 * ```
 */
export function formatMsDate(date: Date): string {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError("Invalid date");
  return `/Date(${ms})/`;
}
