import { type Capability, type Report, runConformance } from "../../src/index.js";
import { type Fault, faultyServer } from "./faulty.js";

/** The kit, in-process, against the reference server (optionally behind a fault). */
export async function runAgainst(fault?: Fault, only?: Capability[]): Promise<Report> {
  const server = faultyServer(fault);
  return runConformance({
    baseUrl: "http://reference.test",
    adminUrl: "http://reference.test",
    token: "demo-token",
    tenant: "1234",
    seed: 20260701,
    runs: 10,
    only,
    fetch: server.fetch,
  });
}

/** Capabilities with at least one failed check. */
export function failedCapabilities(report: Report): Capability[] {
  return report.capabilities.filter((c) => c.failed > 0).map((c) => c.capability);
}

/** The failure messages of one capability, joined. */
export function failureText(report: Report, capability: Capability): string {
  return report.checks
    .filter((c) => c.capability === capability && c.status === "failed")
    .map((c) => `${c.name}: ${c.message}`)
    .join("\n");
}
