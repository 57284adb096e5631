/**
 * The report: every check's result, a summary per capability, and renderings as a terminal
 * table, JSON and JUnit XML.
 */
import type { Capability } from "./capabilities.js";
import type { Exchange } from "./http.js";

export type CheckStatus = "passed" | "failed" | "skipped";

export interface CheckResult {
  capability: Capability;
  name: string;
  status: CheckStatus;
  durationMs: number;
  /** Why it failed, or why it was skipped. */
  message?: string;
  /** The offending exchange of a failure, when one is to blame. */
  exchange?: Exchange;
  /** Extra facts (for example the number of generated requests). */
  details?: Record<string, unknown>;
}

export interface CapabilitySummary {
  capability: Capability;
  passed: number;
  failed: number;
  skipped: number;
  durationMs: number;
}

export interface Report {
  tool: { name: string; version: string };
  specVersion: string;
  specHash: string;
  baseUrl: string;
  tenant: string;
  adminUrl?: string;
  seed: number;
  startedAt: string;
  durationMs: number;
  /** True when no check failed. */
  ok: boolean;
  totals: { passed: number; failed: number; skipped: number; requests: number };
  /** Property-based robustness run: the seed and how many requests it generated. */
  robustness?: { seed: number; generatedRequests: number; runsPerProperty: number };
  capabilities: CapabilitySummary[];
  checks: CheckResult[];
}

export function summarise(
  capabilities: readonly Capability[],
  checks: CheckResult[],
  durations: Map<Capability, number>,
): CapabilitySummary[] {
  return capabilities.map((capability) => {
    const mine = checks.filter((c) => c.capability === capability);
    return {
      capability,
      passed: mine.filter((c) => c.status === "passed").length,
      failed: mine.filter((c) => c.status === "failed").length,
      skipped: mine.filter((c) => c.status === "skipped").length,
      durationMs: durations.get(capability) ?? 0,
    };
  });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** The per-capability table, then the failures and skips with their reasons. */
export function formatTable(report: Report, options: { color?: boolean } = {}): string {
  const color = options.color ?? false;
  const paint = (code: string, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const header = ["Capability", "Passed", "Failed", "Skipped", "Time"];
  const rows = report.capabilities.map((c) => [c.capability, String(c.passed), String(c.failed), String(c.skipped), seconds(c.durationMs)]);
  const total = [
    "Total",
    String(report.totals.passed),
    String(report.totals.failed),
    String(report.totals.skipped),
    seconds(report.durationMs),
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length), total[i]!.length));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ");
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  const out: string[] = [];
  out.push(
    `Cloud Backup API conformance: ${report.baseUrl} (tenant ${report.tenant}${report.adminUrl ? `, control API ${report.adminUrl}` : ""})`,
  );
  out.push("");
  out.push(line(header), rule);
  for (const [i, row] of rows.entries()) {
    const text = line(row);
    const summary = report.capabilities[i]!;
    out.push(summary.failed ? paint("31", text) : summary.passed === 0 && summary.skipped ? paint("2", text) : text);
  }
  out.push(rule, line(total));
  if (report.robustness) {
    out.push(
      "",
      `Robustness: ${report.robustness.generatedRequests} generated requests (seed ${report.robustness.seed}, ${report.robustness.runsPerProperty} runs per property).`,
    );
  }
  const failed = report.checks.filter((c) => c.status === "failed");
  if (failed.length) {
    out.push("", paint("31", `Failures (${failed.length}):`));
    for (const c of failed) {
      out.push("", `  ✗ ${c.capability} › ${c.name}`);
      for (const l of (c.message ?? "").split("\n")) out.push(`      ${l}`);
    }
  }
  const skipped = report.checks.filter((c) => c.status === "skipped");
  if (skipped.length) {
    out.push("", `Skipped (${skipped.length}):`);
    for (const c of skipped) out.push(`  - ${c.capability} › ${c.name}: ${c.message ?? ""}`);
  }
  out.push("", report.ok ? paint("32", "Result: PASS") : paint("31", `Result: FAIL (${report.totals.failed} failed)`));
  return out.join("\n");
}

export function toJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

const xmlEscape = (s: string) =>
  s
    // Characters XML 1.0 cannot carry at all.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");

/** JUnit XML: one testsuite per capability, one testcase per check. */
export function toJUnit(report: Report): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const t = report.totals;
  out.push(
    `<testsuites name="cloud-backup-conformance" tests="${t.passed + t.failed + t.skipped}" failures="${t.failed}" errors="0" skipped="${t.skipped}" time="${(report.durationMs / 1000).toFixed(3)}" timestamp="${xmlEscape(report.startedAt)}">`,
  );
  for (const summary of report.capabilities) {
    const checks = report.checks.filter((c) => c.capability === summary.capability);
    out.push(
      `  <testsuite name="${xmlEscape(summary.capability)}" tests="${checks.length}" failures="${summary.failed}" errors="0" skipped="${summary.skipped}" time="${(summary.durationMs / 1000).toFixed(3)}">`,
    );
    for (const c of checks) {
      const open = `    <testcase classname="${xmlEscape(`cloud-backup-conformance.${c.capability}`)}" name="${xmlEscape(c.name)}" time="${(c.durationMs / 1000).toFixed(3)}"`;
      if (c.status === "passed") {
        out.push(`${open}/>`);
      } else if (c.status === "skipped") {
        out.push(`${open}>`, `      <skipped message="${xmlEscape(c.message ?? "")}"/>`, "    </testcase>");
      } else {
        const detail = [c.message ?? "", c.exchange ? `\n${JSON.stringify(c.exchange, null, 2)}` : ""].join("");
        out.push(
          `${open}>`,
          `      <failure message="${xmlEscape((c.message ?? "").split("\n")[0] ?? "")}" type="ConformanceFailure">${xmlEscape(detail)}</failure>`,
          "    </testcase>",
        );
      }
    }
    out.push("  </testsuite>");
  }
  out.push("</testsuites>", "");
  return out.join("\n");
}
