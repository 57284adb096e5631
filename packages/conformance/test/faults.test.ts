/**
 * The kit proves it catches faults: it runs against deliberately broken variants of the
 * reference server and each fault must be reported under the capability it belongs to,
 * while the unmodified server passes entirely.
 */
import { describe, expect, test } from "vitest";
import { VARIANTS } from "./support/faulty.js";
import { failedCapabilities, failureText, runAgainst } from "./support/run.js";

describe("against the unmodified reference server", () => {
  test("every check passes (workflows skip in-process)", async () => {
    const report = await runAgainst();
    const failures = report.checks.filter((c) => c.status === "failed").map((c) => `${c.capability} › ${c.name}: ${c.message}`);
    expect(failures).toEqual([]);
    expect(report.ok).toBe(true);
    for (const summary of report.capabilities) {
      if (summary.capability === "workflows") expect(summary.skipped).toBe(3);
      else expect(summary.passed, summary.capability).toBeGreaterThan(0);
    }
    expect(report.robustness?.generatedRequests).toBeGreaterThanOrEqual(60);
  }, 60_000);
});

describe.each(Object.entries(VARIANTS))("fault %s", (name, variant) => {
  test(`is reported under ${variant.capability}`, async () => {
    const report = await runAgainst(variant.fault);
    const failed = failedCapabilities(report);
    console.log(`fault ${name} (${variant.description}): failed capabilities ${failed.join(", ")}`);
    expect(report.ok).toBe(false);
    expect(failed).toContain(variant.capability);
    expect(failureText(report, variant.capability)).toMatch(variant.evidence);
  }, 60_000);
});
