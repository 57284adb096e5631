/** Runs the selected capabilities and builds the report. */
import { readFileSync } from "node:fs";
import { document, internalDocument, specHash, specVersion } from "@cloud-backup/spec";
import { CAPABILITIES, type Capability, OPTIONAL_CAPABILITIES } from "./capabilities.js";
import { activity } from "./checks/activity.js";
import { agents } from "./checks/agents.js";
import { auth } from "./checks/auth.js";
import { backups } from "./checks/backups.js";
import { configurations } from "./checks/backup-configurations.js";
import { encryption } from "./checks/encryption.js";
import { errors } from "./checks/errors.js";
import { internal, withInternal } from "./checks/internal.js";
import { restores } from "./checks/restores.js";
import { robustness } from "./checks/robustness.js";
import type { CapabilityModule } from "./checks/types.js";
import { workflows } from "./checks/workflows.js";
import { CapabilityContext, type ResolvedOptions } from "./context.js";
import { CheckFailure, CheckSkipped, type FetchLike, type HttpOptions } from "./http.js";
import { type CheckResult, type Report, summarise } from "./report.js";
import { Spec } from "./spec.js";

export const MODULES: Record<Capability, CapabilityModule> = {
  auth,
  agents,
  "backup-configurations": configurations,
  backups,
  restores,
  activity,
  encryption,
  errors,
  robustness,
  workflows,
  internal,
};

/** Options of {@link runConformance}. */
export interface ConformanceOptions {
  /** Base URL of the implementation under test (`http://127.0.0.1:4010`). */
  baseUrl: string;
  /** An X-Auth-Token for `tenant`. */
  token: string;
  /** The account (tenant) id the token belongs to. */
  tenant: string;
  /**
   * Base URL of a control API like the reference server's (`/__admin/...`). With it the kit
   * creates fresh tenants for mutating checks and moves the virtual clock instead of waiting.
   */
  adminUrl?: string;
  /** `X-Admin-Token` for the control API, when it requires one. */
  adminToken?: string;
  /** Capabilities to run (default: all but the optional ones). */
  only?: Capability[];
  /** Optional capabilities to run as well (`internal`). */
  include?: Capability[];
  /** Seed of the property-based robustness checks (default: random, reported). */
  seed?: number;
  /** Generated requests per robustness property (default 50; valid requests get twice as many). */
  runs?: number;
  /** A fetch to use instead of the global one, for example to run in-process against `createServer()`. */
  fetch?: FetchLike;
  /** Per-request timeout in milliseconds (default 30 000). */
  requestTimeoutMs?: number;
  /** Without a control API: the longest wait for a backup or restore, in seconds (default 900). */
  waitTimeoutSeconds?: number;
  /** With a control API: the longest wait in virtual seconds (default 6 hours). */
  virtualWaitSeconds?: number;
  /** Without a control API: pause between polls in milliseconds (default 2 000). */
  pollIntervalMs?: number;
  /** Directory of the Arazzo workflows (default: `openapi/arazzo` found above the working directory). */
  arazzoDir?: string;
  /** Path of the redocly CLI (default: `node_modules/.bin/redocly` found above the working directory). */
  redocly?: string;
  /** Longest run of one Arazzo workflow, in seconds (default 300). */
  workflowTimeoutSeconds?: number;
  /** A check is abandoned after this many seconds (default 1 200). */
  checkTimeoutSeconds?: number;
  /** Progress: called when a check starts and when it ends. */
  onProgress?: (event: ProgressEvent) => void;
}

export type ProgressEvent =
  | { type: "check-start"; capability: Capability; name: string; index: number; total: number }
  | { type: "check-end"; result: CheckResult; index: number; total: number };

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: string };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

function resolveOptions(options: ConformanceOptions): ResolvedOptions {
  return {
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    token: options.token,
    tenant: options.tenant,
    adminUrl: options.adminUrl?.replace(/\/+$/, "").replace(/\/__admin$/, ""),
    adminToken: options.adminToken,
    seed: options.seed ?? Math.floor(Math.random() * 2 ** 31),
    runs: options.runs ?? 50,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    inProcess: Boolean(options.fetch),
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    waitTimeoutSeconds: options.waitTimeoutSeconds ?? 900,
    virtualWaitSeconds: options.virtualWaitSeconds ?? 6 * 3600,
    pollIntervalMs: options.pollIntervalMs ?? 2_000,
    arazzoDir: options.arazzoDir,
    redocly: options.redocly,
    workflowTimeoutSeconds: options.workflowTimeoutSeconds ?? 300,
  };
}

async function withTimeout<T>(promise: Promise<T>, seconds: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckFailure(`${what} did not finish within ${seconds} seconds`)), seconds * 1000);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether the API (and the control API, when given) answer at all; answers what is wrong. */
async function preflight(options: ResolvedOptions): Promise<{ name: string; message: string } | undefined> {
  const probe = async (url: string, headers: Record<string, string>) => {
    try {
      const res = await options.fetch(url, { headers, signal: AbortSignal.timeout(options.requestTimeoutMs) });
      await res.arrayBuffer();
      return res.status;
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      return `${(error as Error).message}${cause?.code ? ` (${cause.code})` : cause?.message ? ` (${cause.message})` : ""}`;
    }
  };
  const api = await probe(`${options.baseUrl}/v1.0/${encodeURIComponent(options.tenant)}/user/agents`, { "x-auth-token": options.token });
  if (typeof api === "string")
    return {
      name: "the API answers at --base-url",
      message: `GET ${options.baseUrl}/v1.0/${options.tenant}/user/agents got no answer: ${api}`,
    };
  if (options.adminUrl) {
    const headers: Record<string, string> = options.adminToken ? { "x-admin-token": options.adminToken } : {};
    const admin = await probe(`${options.adminUrl}/__admin/health`, headers);
    if (admin !== 200) {
      return {
        name: "the control API answers at --admin-url",
        message: `GET ${options.adminUrl}/__admin/health ${typeof admin === "string" ? `got no answer: ${admin}` : `answered ${admin}`}${admin === 401 ? " (give --admin-token)" : admin === 403 ? " (the control API answers only loopback callers unless the server has an admin token)" : ""}. Leave out --admin-url to run against the given tenant without it.`,
      };
    }
  }
  return undefined;
}

/**
 * Runs the conformance kit against an implementation of the Cloud Backup API and answers
 * the report. It never throws for a failing implementation: failures are in the report.
 *
 * @example
 * ```ts
 * import { createServer } from "@cloud-backup/server";
 * import { runConformance } from "@cloud-backup/conformance";
 * const app = createServer({ clock: { speed: 0 } });
 * const report = await runConformance({
 *   baseUrl: "http://reference.test", adminUrl: "http://reference.test",
 *   token: "demo-token", tenant: "1234",
 *   fetch: (input, init) => app.fetch(new Request(input, init)),
 * });
 * console.log(report.ok);
 * ```
 */
export async function runConformance(options: ConformanceOptions): Promise<Report> {
  const resolved = resolveOptions(options);
  const selected = CAPABILITIES.filter((c) =>
    options.only?.length ? options.only.includes(c) : !OPTIONAL_CAPABILITIES.has(c) || Boolean(options.include?.includes(c)),
  );
  const spec = new Spec(selected.includes("internal") ? withInternal(document, internalDocument) : document);
  let requests = 0;
  const http: HttpOptions = {
    baseUrl: resolved.baseUrl,
    fetch: resolved.fetch,
    spec,
    requestTimeoutMs: resolved.requestTimeoutMs,
    onExchange: () => void requests++,
  };
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const results: CheckResult[] = [];
  const durations = new Map<Capability, number>();
  const plan = selected.map((capability) => ({ capability, checks: MODULES[capability].build() }));
  const total = plan.reduce((n, p) => n + p.checks.length, 0);
  let index = 0;
  let generatedRequests = 0;
  const checkTimeout = options.checkTimeoutSeconds ?? 1_200;

  const unreachable = await preflight(resolved);
  if (unreachable && plan.length) {
    // Nothing can be checked: one failure that says why, and every check skipped.
    results.push({
      capability: plan[0]!.capability,
      name: unreachable.name,
      status: "failed",
      durationMs: 0,
      message: unreachable.message,
    });
    for (const { capability, checks } of plan) {
      for (const check of checks)
        results.push({
          capability,
          name: check.name,
          status: "skipped",
          durationMs: 0,
          message: `not run: check "${unreachable.name}" failed`,
        });
    }
    plan.length = 0;
  }

  for (const { capability, checks } of plan) {
    const capabilityStarted = performance.now();
    const ctx = new CapabilityContext(resolved, spec, http);
    for (const check of checks) {
      index++;
      options.onProgress?.({ type: "check-start", capability, name: check.name, index, total });
      const t0 = performance.now();
      let result: CheckResult;
      try {
        const outcome = await withTimeout(check.run(ctx), checkTimeout, `${capability} › ${check.name}`);
        result = {
          capability,
          name: check.name,
          status: "passed",
          durationMs: performance.now() - t0,
          ...(outcome?.details ? { details: outcome.details } : {}),
        };
      } catch (error) {
        const durationMs = performance.now() - t0;
        if (error instanceof CheckSkipped) {
          result = { capability, name: check.name, status: "skipped", durationMs, message: error.message };
        } else if (error instanceof CheckFailure) {
          result = {
            capability,
            name: check.name,
            status: "failed",
            durationMs,
            message: error.message,
            ...(error.exchange ? { exchange: error.exchange } : {}),
          };
        } else {
          result = {
            capability,
            name: check.name,
            status: "failed",
            durationMs,
            message: `unexpected error in the check: ${(error as Error)?.stack ?? String(error)}`,
          };
        }
      }
      results.push(result);
      options.onProgress?.({ type: "check-end", result, index, total });
    }
    const leftovers = await ctx.cleanup();
    if (leftovers.length) {
      results.push({
        capability,
        name: "cleans up what it created",
        status: "failed",
        durationMs: 0,
        message: `could not undo: ${leftovers.join("; ")}`,
      });
    }
    generatedRequests += ctx.generatedRequests;
    durations.set(capability, performance.now() - capabilityStarted);
  }

  const capabilities = summarise(selected, results, durations);
  const totals = {
    passed: results.filter((r) => r.status === "passed").length,
    failed: results.filter((r) => r.status === "failed").length,
    skipped: results.filter((r) => r.status === "skipped").length,
    requests,
  };
  return {
    tool: { name: "@cloud-backup/conformance", version: version() },
    specVersion,
    specHash,
    baseUrl: resolved.baseUrl,
    tenant: resolved.tenant,
    ...(resolved.adminUrl ? { adminUrl: resolved.adminUrl } : {}),
    seed: resolved.seed,
    startedAt,
    durationMs: Date.now() - started,
    ok: totals.failed === 0,
    totals,
    ...(selected.includes("robustness") ? { robustness: { seed: resolved.seed, generatedRequests, runsPerProperty: resolved.runs } } : {}),
    capabilities,
    checks: results,
  };
}
