#!/usr/bin/env node
// Profiles the in-memory reference server under load: one `node --cpu-prof` server per
// scenario, driven like the bench drives it, then self time aggregated per function and per
// script. Writes packages/bench/PROFILE.md and prints it.
//
// Usage: npm run profile --workspace @cloud-backup/bench [-- --duration S --connections N --keep DIR --only get-agent,create,list-1000,startup,create-data,fairness]
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configBody, createConfigs, createTenant } from "./api.mjs";
import { aggregate, toMarkdown } from "./cpuprofile.mjs";
import { createTenantCount } from "./expect.mjs";
import { hasWrk, runLoad } from "./load.mjs";
import { BENCH_DIR, DEMO, killAll, startReference, stopProcess } from "./servers.mjs";

const EVENT_LOOP_DELAY = join(BENCH_DIR, "src", "event-loop-delay.mjs");

const argv = process.argv.slice(2);
const arg = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const duration = Number(arg("--duration", process.env.BENCH_DURATION ?? 10));
const connections = Number(arg("--connections", 50));
const keep = arg("--keep", undefined);
const top = Number(arg("--top", 20));
const loader = hasWrk() ? "wrk" : "autocannon";
const tmpDir = mkdtempSync(join(tmpdir(), "cloud-backup-profile-"));
const log = (line) => process.stderr.write(`[profile] ${line}\n`);

/**
 * What each profile runs: the load, and whether the server keeps a data file.
 * @type {Record<string, { data?: boolean, prebuilt?: boolean, startupOnly?: boolean, title: string, spec: (base: string) => Promise<import("./load.mjs").LoadSpec> }>}
 */
const SCENARIOS = {
  "get-agent": {
    title: "get agent details (memory)",
    spec: async () => ({
      entries: [{ method: "GET", path: `/v1.0/${DEMO.tenant}/agent/${DEMO.agent}`, headers: { "X-Auth-Token": DEMO.token } }],
    }),
  },
  create: { title: "create a configuration (memory)", spec: (base) => createSpec(base) },
  "list-1000": {
    // Built by an unprofiled server with a data file, then read by a profiled one started on that
    // file, so creating the 1,000 configurations stays out of the profile (reads never touch SQLite).
    title: "list 1,000 configurations (--data file built beforehand; reads only)",
    data: true,
    prebuilt: true,
    spec: async (base) => {
      const t = await createTenant(base, "profile-list");
      await createConfigs(base, t, 1_000, { concurrency: 8, prefix: "list" });
      return { entries: [{ method: "GET", path: `/v1.0/${t.tenantId}/backup-configuration`, headers: { "X-Auth-Token": t.token } }] };
    },
  },
  startup: { title: "start-up to the first answer (memory), no load", startupOnly: true, spec: async () => ({ entries: [] }) },
  fairness: {
    // The bench's fairness load with writes: one tenant lists its 10,000 configurations at 50
    // connections (1 update in 20) while one connection reads another tenant's agent. Built
    // beforehand in a data file, so creating the configurations stays out of the profile.
    title: "fairness: small GET of one tenant while another lists 10,000 (1 update in 20; --data file built beforehand)",
    data: true,
    prebuilt: true,
    spec: async (base) => {
      const t = await createTenant(base, "profile-fair");
      const { ids } = await createConfigs(base, t, 10_000, { concurrency: 8, prefix: "fair" });
      const list = { method: "GET", path: `/v1.0/${t.tenantId}/backup-configuration`, headers: { "X-Auth-Token": t.token } };
      const update = {
        method: "PUT",
        path: `/v1.0/${t.tenantId}/backup-configuration/${ids[0]}`,
        headers: { "X-Auth-Token": t.token, "content-type": "application/json" },
        body: JSON.stringify(configBody(t.agents[0], "fair-0")),
      };
      return { entries: [list, update], cycle: [...Array(19).fill(0), 1] };
    },
    side: { entries: [{ method: "GET", path: `/v1.0/${DEMO.tenant}/agent/${DEMO.agent}`, headers: { "X-Auth-Token": DEMO.token } }] },
  },
  "create-data": { title: "create a configuration (--data)", data: true, spec: (base) => createSpec(base) },
};

/** Creates go round enough tenants that none reaches the per-tenant cap (every create answers 200). */
async function createSpec(base) {
  const entries = [];
  for (let i = 1; i <= createTenantCount(1, duration); i++) {
    const t = await createTenant(base, `profile-create-${i}`);
    const body = JSON.stringify(configBody(t.agents[0], "__UNIQUE__"));
    entries.push({
      method: "POST",
      path: `/v1.0/${t.tenantId}/backup-configuration`,
      headers: { "X-Auth-Token": t.token, "content-type": "application/json" },
      body,
      unique: true,
    });
  }
  return { entries };
}

const only = arg("--only", process.env.BENCH_ONLY)
  ?.split(",")
  .filter((s) => s in SCENARIOS);

async function profileScenario(name) {
  const dir = keep ? join(keep, name) : join(tmpDir, name);
  const scenario = SCENARIOS[name];
  const data = scenario.data ? join(tmpDir, `${name}.db`) : undefined;
  let spec;
  if (scenario.prebuilt) {
    const builder = await startReference({ name: `build-${name}`, data });
    try {
      spec = await scenario.spec(builder.baseUrl);
    } finally {
      await stopProcess(builder);
    }
  }
  const loopFile = join(tmpDir, `${name}-event-loop.json`);
  const proc = await startReference({
    name: `profile-${name}`,
    nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--import", EVENT_LOOP_DELAY],
    data,
    env: { ...process.env, BENCH_EVENT_LOOP_FILE: loopFile },
  });
  let result = { rps: NaN, p99: NaN, startMs: proc.startMs };
  try {
    if (!scenario.startupOnly) {
      spec ??= await scenario.spec(proc.baseUrl);
      await runLoad({ loader, baseUrl: proc.baseUrl, spec, seconds: 1, connections, tmpDir, prefix: `w-${name}` });
      proc.child.kill("SIGUSR2"); // the event loop's delay counts from here
      const [measured, side] = await Promise.all([
        runLoad({ loader, baseUrl: proc.baseUrl, spec, seconds: duration, connections, tmpDir, prefix: `m-${name}` }),
        scenario.side
          ? runLoad({ loader, baseUrl: proc.baseUrl, spec: scenario.side, seconds: duration, connections: 1, tmpDir, prefix: `s-${name}` })
          : undefined,
      ]);
      result = { ...measured, startMs: proc.startMs, side };
    }
  } finally {
    await stopProcess(proc); // the profile and the event loop's delay are written when the process exits
  }
  result.loop = existsSync(loopFile) ? JSON.parse(readFileSync(loopFile, "utf8")) : undefined;
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8"));
  log(
    `${name}: ${Number.isFinite(result.rps) ? `${Math.round(result.rps)} req/s` : `first answer after ${Math.round(result.startMs)} ms`}; profile ${join(dir, file)}`,
  );
  return { name, title: scenario.title, result, byFunction: aggregate(profile, "function"), byUrl: aggregate(profile, "url") };
}

try {
  const sections = [
    "# Reference server CPU profile",
    "",
    `Reference server under \`node --cpu-prof\` (--quiet, on its default running clock; in memory unless marked --data), ${duration} s of ${loader} at ${connections} connections per scenario after 1 s warm-up; ` +
      "self time per function, then per script. The profile covers the whole process life (start-up included), so idle and module loading show too.",
    "",
  ];
  for (const name of only?.length ? only : Object.keys(SCENARIOS)) {
    const p = await profileScenario(name);
    const busy = p.byFunction.rows.filter((r) => r.functionName !== "(idle)");
    const busyMs = busy.reduce((n, r) => n + r.selfMs, 0);
    sections.push(
      Number.isFinite(p.result.rps)
        ? `## ${p.title}: ${Math.round(p.result.rps)} req/s, p99 ${p.result.p99.toFixed(1)} ms`
        : `## ${p.title}: first answer after ${Math.round(p.result.startMs)} ms`,
      "",
      `${p.byFunction.totalMs.toFixed(0)} ms sampled, ${busyMs.toFixed(0)} ms not idle.` +
        (p.result.side
          ? ` The small GET (1 connection): ${Math.round(p.result.side.rps)} req/s, p50 ${p.result.side.p50.toFixed(2)} ms, p99 ${p.result.side.p99.toFixed(1)} ms.`
          : "") +
        (p.result.loop && !Number.isNaN(p.result.rps)
          ? ` The server's event-loop delay under the measured load (monitorEventLoopDelay): p50 ${p.result.loop.p50} ms, p99 ${p.result.loop.p99} ms, longest ${p.result.loop.max} ms.`
          : ""),
      "",
      toMarkdown(p.byFunction.rows, top, "function"),
      "",
      toMarkdown(p.byUrl.rows, 12, "script"),
      "",
    );
  }
  const text = sections.join("\n");
  console.log(text);
  writeFileSync(join(BENCH_DIR, "PROFILE.md"), text);
  log(`wrote ${join(BENCH_DIR, "PROFILE.md")}`);
} catch (error) {
  console.error(`profile: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  killAll();
  rmSync(tmpDir, { recursive: true, force: true });
}
