/**
 * The `Prefer` request header (RFC 7240) as the reference server reads it: Prism's
 * `code=` and `example=` plus our own `latency=` (milliseconds) and `fault=reset` (drop the
 * connection). Unknown directives are ignored, as RFC 7240 asks.
 */
export interface Preferences {
  code?: number;
  example?: string;
  latency?: number;
  reset?: boolean;
}

/** The most a `latency=` directive may delay an answer. */
export const MAX_LATENCY_MS = 60_000;

export function parsePrefer(header: string | undefined | null): Preferences {
  const prefs: Preferences = {};
  if (!header) return prefs;
  for (const part of header.split(",")) {
    const [directive] = part.split(";");
    const eq = directive!.indexOf("=");
    const name = (eq < 0 ? directive! : directive!.slice(0, eq)).trim().toLowerCase();
    const value =
      eq < 0
        ? ""
        : directive!
            .slice(eq + 1)
            .trim()
            .replace(/^"(.*)"$/, "$1");
    if (name === "code" && /^[1-5][0-9]{2}$/.test(value)) prefs.code = Number(value);
    else if (name === "example" && value) prefs.example = value;
    else if (name === "latency" && /^[0-9]{1,9}$/.test(value)) prefs.latency = Math.min(Number(value), MAX_LATENCY_MS);
    else if (name === "fault" && value.toLowerCase() === "reset") prefs.reset = true;
  }
  return prefs;
}
