// What the bench expects of the answers it measures: every load scenario, the fairness loads and
// the session replay expect success, so a non-2xx answer makes the run fail.

import { limits } from "@cloud-backup/spec";

/** The server's cap on configurations per tenant (a create beyond it answers 409), from the description. */
export const CONFIGURATIONS_PER_TENANT = limits.maxConfigurationsPerTenant;
/** The most creates per second any target is expected to answer (several times the fastest seen). */
export const CREATES_PER_SECOND_BOUND = 25_000;

/**
 * How many tenants the create scenario spreads its requests over, so that no tenant reaches the
 * per-tenant cap in a cell: a warm-up and a measured run at the bound above, filling at most 80%
 * of each tenant, which leaves room for the probes of every target.
 * @param {number} warmupSeconds
 * @param {number} durationSeconds
 */
export function createTenantCount(warmupSeconds, durationSeconds) {
  const creates = (Math.max(0, warmupSeconds) + Math.max(1, durationSeconds)) * CREATES_PER_SECOND_BOUND;
  return Math.max(2, Math.ceil(creates / (CONFIGURATIONS_PER_TENANT * 0.8)));
}

/**
 * The measurements that saw an answer other than a success, as sentences.
 * @param {Array<{ title: string, result?: { errorStatus: number, requests: number } }>} loads
 * @param {Array<{ title: string, failures: number, sessions: number, firstError?: string }>} [sessions]
 * @returns {string[]}
 */
export function unexpectedAnswers(loads, sessions = []) {
  const out = [];
  for (const l of loads) {
    if (l.result && l.result.errorStatus > 0) out.push(`${l.title}: ${l.result.errorStatus} of ${l.result.requests} answers were not 2xx`);
  }
  for (const s of sessions) {
    if (s.failures > 0) out.push(`${s.title}: ${s.failures} of ${s.sessions} sessions failed${s.firstError ? ` (${s.firstError})` : ""}`);
  }
  return out;
}
