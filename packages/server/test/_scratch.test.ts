import { it } from "vitest";
import { WINDOWS_TO_IANA_MAP } from "windows-iana";
import { nextRunAfter, utcEcho, isKnownTimeZone } from "../src/schedule/index.js";
import { T0 } from "./helpers.js";
it("zones", () => {
  const names = [...new Set((WINDOWS_TO_IANA_MAP as any[]).map((r) => r.windowsName))] as string[];
  let bad = 0;
  for (const name of names) {
    if (!isKnownTimeZone(name)) { console.log("unknown", name); continue; }
    try {
      for (const f of ["Daily", "Weekly", "Hourly"] as const) {
        const s = { Frequency: f, StartTimeHour: f === "Hourly" ? null : 2, StartTimeMinute: f === "Hourly" ? null : 30, StartTimeAmPm: f === "Hourly" ? null : "AM", DayOfWeekId: f === "Weekly" ? 0 : null, HourInterval: f === "Hourly" ? 5 : null, TimeZoneId: name } as any;
        nextRunAfter(s, T0, T0); utcEcho(s, T0);
      }
    } catch (e) { bad++; console.log("THROWS", name, (e as Error).message); }
  }
  console.log(names.length, "zones", bad, "bad");
});
