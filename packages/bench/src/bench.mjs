#!/usr/bin/env node
// The reference server's benchmark: the reference server (default and frozen clock, in memory
// and with --data), a bare Hono ceiling and the mock servers users compare it with (WireMock,
// the Mockoon CLI, json-server, Prism), side by side in one run with interleaved rounds; a
// CI-like session replay; a fairness scenario; then start-up, memory and growth with history.
// Run from the repository root with `npm run bench` (see ../README.md).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { advance, call, configBody, createConfigs, createTenant, timeRequest } from "./api.mjs";
import { parseArgs, SCENARIOS, TARGET_IDS, USAGE } from "./args.mjs";
import { createTenantCount, unexpectedAnswers } from "./expect.mjs";
import { hasWrk, runLoad } from "./load.mjs";
import { javaVersion, packageVersion, startJsonServer, startMockoon, startWiremock } from "./peers.mjs";
import { JSON_SERVER_SESSION_DB, runSessions } from "./session.mjs";
import {
  BENCH_DIR,
  CLI,
  cpuSecondsOf,
  DEMO,
  http,
  killAll,
  memoryOf,
  prismBin,
  startCeiling,
  startPrism,
  startReference,
  stopProcess,
} from "./servers.mjs";

/** @typedef {import("./load.mjs").LoadSpec} LoadSpec */
/** @typedef {import("./load.mjs").LoadResult} LoadResult */
/** @typedef {import("./api.mjs").BenchTenant} BenchTenant */
/**
 * What a bench target knows about its world: where it is and the tenants built on it.
 * @typedef {{ name: string, base: string, tenants: Record<string, BenchTenant>, configs: Record<string, number[]>, createTenants?: BenchTenant[] }} Context
 * @typedef {{ scenario: string, target: string, round?: number, result?: LoadResult & Record<string, any>, skipped?: string }} Row
 */

const TARGETS = {
  mem: "reference, memory, default clock",
  "mem-frozen": "reference, memory, frozen clock",
  data: "reference, --data, default clock",
  "data-frozen": "reference, --data, frozen clock",
  ceiling: "bare Hono ceiling",
  wiremock: "WireMock",
  mockoon: "Mockoon CLI",
  "json-server": "json-server",
  prism: "Prism",
};
const PEERS = ["wiremock", "mockoon", "json-server", "prism"];
const LIST_SIZES = { "list-10": 10, "list-1000": 1_000, "list-10000": 10_000 };
const SCENARIO_TITLES = {
  "get-agent": "get agent details",
  "list-10": "list 10 configurations",
  "list-1000": "list 1,000 configurations",
  "list-10000": "list 10,000 configurations",
  create: "create a configuration",
  session: "CI-like session replay",
  fairness: "fairness: small GET while another tenant lists 10,000",
};
/** Which targets each load scenario runs on (those that can serve it). */
const SCENARIO_TARGETS = {
  "get-agent": TARGET_IDS,
  "list-10": ["mem", "mem-frozen", "data", "ceiling", "json-server"],
  "list-1000": ["mem", "mem-frozen", "data", "ceiling", "json-server"],
  "list-10000": ["mem", "data", "ceiling", "json-server"],
  create: ["mem", "data", "ceiling", "json-server"],
};
let options;
try {
  options = parseArgs(process.argv.slice(2), process.env);
} catch (error) {
  console.error(`bench: ${/** @type {Error} */ (error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}

const log = (line) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const tmpDir = mkdtempSync(join(tmpdir(), "cloud-backup-bench-"));
const cleanup = () => {
  killAll();
  rmSync(tmpDir, { recursive: true, force: true });
};
process.on("SIGINT", () => {
  cleanup();
  process.exit(130);
});
process.on("SIGTERM", () => {
  cleanup();
  process.exit(143);
});

const fmt = {
  int: (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "—"),
  ms: (n) => (!Number.isFinite(n) || n === 0 ? "—" : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2)),
  pct: (n) => (Number.isFinite(n) ? `${(n * 100).toFixed(0)}%` : "—"),
  times: (n) => (Number.isFinite(n) ? `${n >= 10 ? n.toFixed(0) : n >= 0.1 ? n.toFixed(1) : n.toFixed(3)}×` : "—"),
  mb: (n) => (Number.isFinite(n) ? `${n.toFixed(0)} MB` : "—"),
  bytes: (n) => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(0)} KB` : `${n} B`),
};

// ---------------------------------------------------------------- machine

function machine() {
  const cpuinfo = existsSync("/proc/cpuinfo") ? readFileSync("/proc/cpuinfo", "utf8") : "";
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? "unknown";
  let nproc = String(cpus().length);
  try {
    nproc = execFileSync("nproc", { encoding: "utf8" }).trim();
  } catch {
    // keep os.cpus()
  }
  const version = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
        .trim()
        .split("\n")[0];
    } catch (error) {
      return (
        String(/** @type {any} */ (error).stdout ?? "")
          .trim()
          .split("\n")[0] || "missing"
      );
    }
  };
  const bin = prismBin();
  return {
    nproc,
    node: process.version,
    cpu: model,
    memory: `${Math.round(Number(/MemTotal:\s+(\d+)/.exec(existsSync("/proc/meminfo") ? readFileSync("/proc/meminfo", "utf8") : "")?.[1] ?? 0) / 1024 / 1024)} GiB`,
    wrk: hasWrk() ? `wrk ${/\d+\.\d+\.\d+/.exec(version("wrk", ["--version"]))?.[0] ?? ""}`.trim() : "not installed",
    prism: bin ? version(process.execPath, [bin, "--version"]) : "not installed",
    peers: [
      `WireMock ${packageVersion("wiremock") ?? "not installed"} (${javaVersion() ?? "no java on the PATH"})`,
      `Mockoon CLI ${packageVersion("@mockoon/cli") ?? "not installed"}`,
      `json-server ${packageVersion("json-server") ?? "not installed"}`,
      `Prism ${bin ? version(process.execPath, [bin, "--version"]) : "not installed"}`,
    ].join(", "),
    load: loadavg()
      .map((n) => n.toFixed(2))
      .join(" "),
    source: sourceState(),
  };
}

/** The commit measured, and whether the server's sources differ from it (the build is of the work tree). */
function sourceState() {
  const root = join(BENCH_DIR, "..", "..");
  try {
    const head = execFileSync("git", ["-C", root, "rev-parse", "--short", "HEAD"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    const dirty = execFileSync(
      "git",
      ["-C", root, "status", "--porcelain", "--", "packages/spec", "packages/server", "apps/reference-server"],
      {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      },
    )
      .split("\n")
      .filter(Boolean).length;
    return dirty
      ? `commit ${head} plus ${dirty} uncommitted change${dirty === 1 ? "" : "s"} under packages/spec, packages/server and apps/reference-server`
      : `commit ${head}`;
  } catch {
    return "unknown (not a git work tree)";
  }
}

// ---------------------------------------------------------------- worlds

const TENANTS = { "list-10": "bench-list-10", "list-1000": "bench-list-1000", "list-10000": "bench-list-10000" };

const createTenantIds = () =>
  Array.from({ length: createTenantCount(options.warmup, options.duration) }, (_, i) => `bench-create-${i + 1}`);

/** Builds the bench tenants on a reference server through the API; returns its context. */
async function buildWorld(name, base, sizes = Object.keys(LIST_SIZES)) {
  /** @type {Context} */
  const ctx = { name, base, tenants: {}, configs: {} };
  const timings = {};
  for (const scenario of sizes) {
    const tenant = (ctx.tenants[scenario] = await createTenant(base, TENANTS[scenario]));
    const { ids, ms } = await createConfigs(base, tenant, LIST_SIZES[scenario], { concurrency: 8, prefix: "list" });
    ctx.configs[scenario] = ids;
    timings[scenario] = ms;
  }
  ctx.createTenants = [];
  for (const id of createTenantIds()) ctx.createTenants.push(await createTenant(base, id));
  return { ctx, timings };
}

function wanted(scenario) {
  return !options.only || options.only.includes(scenario);
}

function targetWanted(target) {
  if (options.targets && !options.targets.includes(target)) return false;
  if (PEERS.includes(target) && !options.peers) return false;
  if (target === "prism" && !options.prism) return false;
  return true;
}

// ---------------------------------------------------------------- scenarios

const json = { "content-type": "application/json" };
const agentPath = `/v1.0/${DEMO.tenant}/agent/${DEMO.agent}`;

/**
 * The load of a scenario against a reference-server context (the ceiling and WireMock replay
 * the memory server's answers; json-server maps the same paths onto its collections).
 * @param {string} scenario
 * @param {Context} ctx
 * @returns {LoadSpec}
 */
function specFor(scenario, ctx) {
  if (scenario === "get-agent") return { entries: [{ method: "GET", path: agentPath, headers: { "X-Auth-Token": DEMO.token } }] };
  if (scenario in LIST_SIZES) {
    const t = ctx.tenants[scenario];
    return { entries: [{ method: "GET", path: `/v1.0/${t.tenantId}/backup-configuration`, headers: { "X-Auth-Token": t.token } }] };
  }
  // Creates go round the create tenants, so none of them reaches the per-tenant cap.
  return {
    entries: (ctx.createTenants ?? []).map((t) => ({
      method: "POST",
      path: `/v1.0/${t.tenantId}/backup-configuration`,
      headers: { "X-Auth-Token": t.token, ...json },
      body: JSON.stringify(configBody(t.agents[0], "__UNIQUE__")),
      unique: true,
    })),
  };
}

/** json-server's collections and routes for the load scenarios, from the memory server's answers. */
function jsonServerWorld(captured) {
  const db = { agents: [], created: [] };
  const routes = {
    [agentPath]: `/agents/${DEMO.agent}`,
    ...Object.fromEntries(createTenantIds().map((id) => [`/v1.0/${id}/backup-configuration`, "/created"])),
  };
  const agent = captured["get-agent"]?.find((a) => a.path === agentPath);
  if (agent) db.agents.push({ id: DEMO.agent, ...JSON.parse(agent.body) });
  for (const scenario of Object.keys(LIST_SIZES)) {
    const list = captured[scenario]?.[0];
    if (!list) continue;
    const name = scenario.replace("-", "");
    db[name] = JSON.parse(list.body).map((c) => ({ id: c.BackupConfigurationId, ...c }));
    routes[list.path] = `/${name}`;
  }
  return { db, routes };
}

let probes = 0;

/** Sends each entry of a spec once; returns the answers (status and body) or throws on a non-2xx. */
async function probe(base, spec) {
  const answers = [];
  let slowest = 0;
  for (const e of spec.entries) {
    // Three tries: the first also pays for lazy compilation; the median is what one request costs.
    const times = [];
    for (let i = 0; i < 3; i++) {
      const body = e.unique && e.body ? e.body.replaceAll("__UNIQUE__", `probe-${++probes}-${Date.now().toString(36)}`) : e.body;
      const started = performance.now();
      const res = await http(base + e.path, { method: e.method, headers: e.headers, body, timeoutMs: 120_000 });
      times.push(performance.now() - started);
      if (res.status < 200 || res.status >= 300) throw new Error(`${e.method} ${e.path} answered ${res.status}: ${res.body.slice(0, 300)}`);
      if (i === 0) answers.push({ method: e.method, path: e.path, status: res.status, body: res.body });
      if (times[0] > 2_000) break; // one slow answer is enough to know
    }
    slowest = Math.max(slowest, times.sort((a, b) => a - b)[Math.floor((times.length - 1) / 2)]);
  }
  return { answers, slowest };
}

// ---------------------------------------------------------------- measuring

const loader = options.loader === "auto" ? (hasWrk() ? "wrk" : "autocannon") : options.loader;
let runs = 0;

/**
 * Waits until a server has worked off what the last load left queued (its CPU use stays under
 * 10% for 300 ms), so one cell's backlog never runs into the next. Resolves with the wait (ms).
 */
async function settle(pid, capMs = 120_000) {
  const started = performance.now();
  let last = cpuSecondsOf(pid);
  if (!Number.isFinite(last)) return 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, 300));
    const now = cpuSecondsOf(pid);
    if (!Number.isFinite(now) || now - last < 0.03 || performance.now() - started > capMs) break;
    last = now;
  }
  return performance.now() - started;
}

/** Busy and total jiffies of all CPUs so far (Linux /proc/stat; undefined elsewhere). */
function machineTicks() {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    const total = fields.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/**
 * Waits until the machine is quiet (under 15% of its CPUs busy over 300 ms), for at most 20 s,
 * so that one cell is not measured while another process (a server still writing its data file,
 * a JVM compiling) takes part of a core. Returns how long it waited, and whether it got there.
 */
async function settleMachine(capMs = 20_000) {
  const started = performance.now();
  let last = machineTicks();
  if (!last) return { ms: 0, quiet: true };
  for (;;) {
    await new Promise((r) => setTimeout(r, 300));
    const now = machineTicks();
    if (!now) return { ms: performance.now() - started, quiet: true };
    const busy = (now.busy - last.busy) / Math.max(1, now.total - last.total);
    if (busy < 0.15) return { ms: performance.now() - started, quiet: true };
    if (performance.now() - started > capMs) return { ms: performance.now() - started, quiet: false, busy };
    last = now;
  }
}

/** A request that takes this long alone would queue for many seconds behind 50 connections. */
const SLOW_MS = 100;

/**
 * Warm-up then measurement of one cell; also the server's CPU use while measured. When one
 * request alone takes over SLOW_MS (the 10,000-configuration list), the cell runs without
 * warm-up and with fewer connections, so that the queue a 5 s run leaves behind stays near 5 s.
 */
async function measure(scenario, target, base, spec, pid, probeMs) {
  const stamp = `${scenario}-${target}-${Date.now().toString(36)}`;
  const slow = probeMs > SLOW_MS;
  const connections = slow ? Math.max(2, Math.min(options.connections, Math.floor(5000 / probeMs))) : options.connections;
  const load = (seconds, phase) =>
    runLoad({ loader, baseUrl: base, spec, seconds, connections, tmpDir, prefix: `${phase}${++runs}-${stamp}` });
  if (options.warmup > 0 && !slow) {
    await load(options.warmup, "w");
    await settle(pid);
  }
  const machine = await settleMachine();
  if (!machine.quiet)
    log(
      `${scenario} / ${target}: the machine stayed ${Math.round((machine.busy ?? 0) * 100)}% busy for 20 s before this cell; measured anyway`,
    );
  const cpuBefore = cpuSecondsOf(pid);
  const load1 = loadavg()[0];
  const result = await load(options.duration, "m");
  const cpu = cpuSecondsOf(pid) - cpuBefore;
  const drainMs = await settle(pid);
  Object.assign(result, { cpu, perCpu: result.requests / cpu, load1, connections, warm: !slow && options.warmup > 0, probeMs, drainMs });
  if (result.errorStatus > 0)
    log(
      `FAILED: ${scenario} / ${target}: ${result.errorStatus} of ${result.requests} answers were not 2xx (every answer of this scenario should be)`,
    );
  log(
    `${scenario} / ${target}: ${fmt.int(result.rps)} req/s (${fmt.int(result.requests / cpu)} per CPU-s), p50 ${fmt.ms(result.p50)} ms, p99 ${fmt.ms(result.p99)} ms, ` +
      `${result.errorStatus} ≥400, ${result.socketErrors} socket errors, ${connections} connections${drainMs > 1000 ? `, ${(drainMs / 1000).toFixed(1)} s to drain` : ""}`,
  );
  return result;
}

// ---------------------------------------------------------------- scaling

/** Spawn to first 200 of GET agent, median of `runs`. */
async function startupFigures() {
  const figures = {};
  const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
  for (const mode of ["mem", "data"]) {
    const times = [];
    const cpu = [];
    for (let i = 0; i < options.startupRuns; i++) {
      const data = mode === "data" ? join(tmpDir, `startup-${i}.db`) : undefined;
      const proc = await startReference({ name: `startup-${mode}`, data, timeoutMs: 30_000 });
      times.push(proc.startMs);
      cpu.push(proc.startCpu * 1000);
      await stopProcess(proc);
    }
    figures[mode] = { median: median(times), min: Math.min(...times), max: Math.max(...times), cpu: median(cpu), runs: times.length };
    log(
      `start-up ${mode}: median ${fmt.ms(figures[mode].median)} ms (${times.map((t) => t.toFixed(0)).join(", ")}), CPU ${fmt.ms(figures[mode].cpu)} ms`,
    );
  }
  return figures;
}

/**
 * A fresh in-memory server, one tenant with 10,000 configurations (1,000 of them hourly), and
 * the virtual clock advanced until those have run 1,000, 10,000 and 100,000 backups.
 */
async function historyFigures() {
  const proc = await startReference({ name: "history", frozen: true });
  const base = proc.baseUrl;
  const out = { idleMb: memoryOf(proc.child.pid).rssMb, points: [], notes: [] };
  try {
    const tenant = await createTenant(base, "bench-history", 2);
    const made = await createConfigs(base, tenant, 10_000, { concurrency: 8, hourly: 1_000, prefix: "hist" });
    out.createMs = made.ms;
    out.configsMb = memoryOf(proc.child.pid).rssMb;
    log(
      `history: 10,000 configurations created over HTTP in ${(made.ms / 1000).toFixed(1)} s (${fmt.int(10_000 / (made.ms / 1000))}/s), RSS ${fmt.mb(out.configsMb)}`,
    );
    const auth = { token: tenant.token };
    const budgetEnd = performance.now() + options.historyBudget * 1000;
    let hours = 0;
    let advanceMs = 0;
    for (const target of [1_000, 10_000, 100_000]) {
      const targetHours = target / 1_000;
      let stopped = false;
      while (hours < targetHours) {
        if (performance.now() > budgetEnd) {
          stopped = true;
          break;
        }
        const step = Math.min(10, targetHours - hours);
        advanceMs += await advance(base, step * 3600);
        hours += step;
      }
      // Memory of the world itself, read before the large answers below fill the heap.
      await new Promise((r) => setTimeout(r, 1000));
      const world = memoryOf(proc.child.pid);
      const activity = await timeRequest(base, "GET", `/v1.0/${tenant.tenantId}/activity`, { ...auth, count: 3, budgetMs: 5_000 });
      const items = JSON.parse(activity.body);
      // Activity lists only the newest items (its cap is in info.x-limits, ERRATA E-35): backups are counted per configuration.
      const backups = await countCompletedBackups(base, tenant, made.ids.slice(0, 1_000));
      const list = await timeRequest(base, "GET", `/v1.0/${tenant.tenantId}/backup-configuration`, { ...auth, count: 3, budgetMs: 5_000 });
      const agent = await timeRequest(base, "GET", `/v1.0/${tenant.tenantId}/agent/${tenant.agents[0]}`, {
        ...auth,
        count: 5,
        budgetMs: 5_000,
      });
      const completed = await timeRequest(base, "GET", `/v1.0/${tenant.tenantId}/backup/completed/${made.ids[0]}`, {
        ...auth,
        count: 5,
        budgetMs: 5_000,
      });
      // The cost of one more virtual hour: 1,000 scheduled runs caught up.
      const hourMs = await advance(base, 3600);
      hours += 1;
      const mem = memoryOf(proc.child.pid);
      const point = {
        target,
        hours,
        // The clock reached the hour at which `target` backups have run (the budget did not run out).
        reached: !stopped,
        backups,
        advanceMs,
        hourMs,
        activity,
        activityItems: items.length,
        list,
        agent,
        completed,
        worldMb: world.rssMb,
        ...mem,
      };
      out.points.push(point);
      log(
        `history: ${fmt.int(backups)} backups after ${hours - 1} h (catch-up ${(advanceMs / 1000).toFixed(1)} s): activity ${fmt.ms(activity.median)} ms (${fmt.bytes(activity.bytes)}), ` +
          `list ${fmt.ms(list.median)} ms, agent ${fmt.ms(agent.median)} ms, +1 h ${fmt.ms(hourMs)} ms, RSS ${fmt.mb(world.rssMb)} after catch-up, ${fmt.mb(mem.rssMb)} after the reads (peak ${fmt.mb(mem.peakMb)})`,
      );
      if (stopped) {
        out.notes.push(
          `Stopped building history at ${fmt.int(backups)} backups: the ${options.historyBudget} s budget (--history-budget) ran out before ${fmt.int(target)}.`,
        );
        break;
      }
    }
  } finally {
    await stopProcess(proc);
  }
  return out;
}

/** Completed backups of the given configurations, summed (GET /backup/completed/{id}, 8 at a time). */
async function countCompletedBackups(base, tenant, ids) {
  let total = 0;
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++];
      const res = await call(base, "GET", `/v1.0/${tenant.tenantId}/backup/completed/${id}`, { token: tenant.token });
      total += JSON.parse(res.body).length;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return total;
}

// ---------------------------------------------------------------- report

/** The row of a target in a scenario: the best of its rounds (a busy machine only slows a target down). */
function bestOf(rows, scenario, target) {
  let best;
  for (const r of rows)
    if (r.scenario === scenario && r.target === target && r.result && (!best || r.result.rps > best.rps)) best = r.result;
  return best;
}

function fastestPeer(rows, scenario) {
  let best;
  for (const target of PEERS) {
    const r = bestOf(rows, scenario, target);
    if (r && (!best || r.rps > best.result.rps)) best = { target, result: r };
  }
  return best;
}

function table(rows) {
  const lines = [
    "| scenario | target | round | conns | req/s | p50 ms | p99 ms | ≥400 / socket err | vs ceiling | server CPU | req per CPU-s |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const row of rows) {
    const title = SCENARIO_TITLES[row.scenario];
    if (!row.result) {
      lines.push(`| ${title} | ${TARGETS[row.target]} | ${row.round ?? 1} | | not measured: ${row.skipped ?? "failed"} | | | | | | |`);
      continue;
    }
    const r = row.result;
    const ceiling = bestOf(rows, row.scenario, "ceiling");
    const vsCeiling = row.target === "ceiling" || !ceiling ? "" : fmt.pct(r.rps / ceiling.rps);
    lines.push(
      `| ${title} | ${TARGETS[row.target]} | ${row.round ?? 1} | ${r.connections}${r.warm ? "" : "*"} | ${fmt.int(r.rps)} | ${fmt.ms(r.p50)} | ${fmt.ms(r.p99)} | ${r.errorStatus} / ${r.socketErrors} | ${vsCeiling} | ${fmt.pct(r.cpu / r.seconds)} | ${fmt.int(r.perCpu)} |`,
    );
  }
  return lines.join("\n");
}

/** Ratios of each pair of targets in the get agent comparison (best round of each), by req/s and by req per CPU-s. */
function pairTable(rows) {
  const present = TARGET_IDS.filter((t) => bestOf(rows, "get-agent", t));
  if (present.length < 2) return "";
  const lines = [
    `| ${"row ÷ column".padEnd(10)} | ${present.map((t) => TARGETS[t]).join(" | ")} |`,
    `| --- | ${present.map(() => "---:").join(" | ")} |`,
  ];
  for (const a of present) {
    const ra = bestOf(rows, "get-agent", a);
    const cells = present.map((b) => {
      if (a === b) return "";
      const rb = bestOf(rows, "get-agent", b);
      return `${fmt.times(ra.rps / rb.rps)} (${fmt.times(ra.perCpu / rb.perCpu)})`;
    });
    lines.push(`| ${TARGETS[a]} (${fmt.int(ra.rps)} req/s, p50 ${fmt.ms(ra.p50)} ms, p99 ${fmt.ms(ra.p99)} ms) | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

function sessionTable(sessions) {
  if (!sessions.length) return "";
  const ref = sessions.find((s) => s.target === "json-server")?.result;
  const lines = [
    "| target | sessions | failed | requests per session | p50 ms | p99 ms | sessions/s | req/s | vs json-server |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const s of sessions) {
    if (!s.result) {
      lines.push(`| ${TARGETS[s.target]} | not measured: ${s.skipped} | | | | | | | |`);
      continue;
    }
    const r = s.result;
    lines.push(
      `| ${TARGETS[s.target]} | ${fmt.int(r.sessions)} | ${r.failures} | ${(r.requests / Math.max(1, r.sessions)).toFixed(1)} | ${fmt.ms(r.p50)} | ${fmt.ms(r.p99)} | ${r.perSecond.toFixed(1)} | ${fmt.int(r.rps)} | ${ref && s.target !== "json-server" ? fmt.times(r.perSecond / ref.perSecond) : ""} |`,
    );
  }
  return lines.join("\n");
}

function fairnessTable(fair) {
  if (!fair.length) return "";
  const lines = [
    "| server | big tenant's load | big lists/s | big p99 ms | small GET req/s | small p50 ms | small p99 ms | small ≥400 / socket err |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const f of fair) {
    if (!f.big || !f.small) {
      lines.push(`| ${f.label} | ${f.load} | not measured: ${f.skipped} | | | | | |`);
      continue;
    }
    lines.push(
      `| ${f.label} | ${f.load} | ${fmt.int(f.big.rps)} | ${fmt.ms(f.big.p99)} | ${fmt.int(f.small.rps)} | ${fmt.ms(f.small.p50)} | ${fmt.ms(f.small.p99)} | ${f.small.errorStatus} / ${f.small.socketErrors} |`,
    );
  }
  return lines.join("\n");
}

function targetChecks(rows, startup, history, _sessions, fair) {
  const checks = [];
  const check = (name, value, ok, shown) =>
    checks.push({ name, ok: value === undefined ? undefined : ok, shown: value === undefined ? "not measured" : shown });
  const perCpu = (a, b, f) => (Number.isFinite(a.perCpu / b.perCpu) ? ` (per CPU-s: ${f(a.perCpu / b.perCpu)})` : "");
  const ratio = (scenario, target, min, name) => {
    const a = bestOf(rows, scenario, target);
    const c = bestOf(rows, scenario, "ceiling");
    check(name, a && c && a.rps / c.rps, a && c && a.rps / c.rps >= min, a && c && fmt.pct(a.rps / c.rps) + perCpu(a, c, fmt.pct));
  };
  ratio("get-agent", "mem", 0.75, "get agent details, memory, default clock ≥ 75% of the ceiling");
  const ga = bestOf(rows, "get-agent", "mem");
  const peer = fastestPeer(rows, "get-agent");
  check(
    "get agent details, memory, default clock ≥ 3× the fastest peer",
    ga && peer && ga.rps / peer.result.rps,
    ga && peer && ga.rps / peer.result.rps >= 3,
    ga && peer && `${fmt.times(ga.rps / peer.result.rps)} ${TARGETS[peer.target]}${perCpu(ga, peer.result, fmt.times)}`,
  );
  ratio("list-1000", "mem", 0.6, "list 1,000 configurations, memory, default clock ≥ 60% of the ceiling");
  for (const scenario of ["get-agent", "list-10", "list-1000", "list-10000"])
    ratio(scenario, "data", 0.25, `${SCENARIO_TITLES[scenario]}, --data ≥ 25% of the ceiling`);
  const dc = bestOf(rows, "create", "data");
  check(
    "create, --data ≥ 5,000/s (all 2xx)",
    dc?.rps,
    dc && dc.rps >= 5000 && dc.errorStatus === 0,
    dc && `${fmt.int(dc.rps)}/s, ${dc.errorStatus} ≥400`,
  );
  const f = fair.find((x) => x.target === "mem" && x.small);
  check(
    "fairness: small GET p99 < 50 ms while another tenant lists 10,000 at 50 connections",
    f?.small.p99,
    f && f.small.p99 < 50,
    f && `${fmt.ms(f.small.p99)} ms (${f.load})`,
  );
  const fw = fair.find((x) => x.target === "mem-writes" && x.small);
  check(
    "fairness, with writes to the big tenant: small GET p99 < 50 ms",
    fw?.small.p99,
    fw && fw.small.p99 < 50,
    fw && `${fmt.ms(fw.small.p99)} ms (${fw.load})`,
  );
  const s = startup?.mem;
  check(
    "start-up to first answer, memory, default clock < 300 ms",
    s?.median,
    s && s.median < 300,
    s && `${fmt.ms(s.median)} ms (CPU ${fmt.ms(s.cpu)} ms)`,
  );
  const sd = startup?.data;
  check(
    "start-up to first answer, --data (new file) < 1 s",
    sd?.median,
    sd && sd.median < 1000,
    sd && `${fmt.ms(sd.median)} ms (CPU ${fmt.ms(sd.cpu)} ms)`,
  );
  const last = history?.points?.at(-1);
  const full = last && last.target === 100_000 && last.reached;
  check(
    "memory, 10,000 configurations and 100,000 backups < 300 MB",
    last?.worldMb,
    full ? last.worldMb < 300 : undefined,
    last
      ? `${fmt.mb(last.worldMb)} RSS after catch-up at ${fmt.int(last.backups)} backups; ${fmt.mb(last.rssMb)} after the reads, peak ${fmt.mb(last.peakMb)}${full ? "" : " (history incomplete)"}`
      : undefined,
  );
  return checks;
}
function scalingMarkdown(startup, history, restart) {
  const parts = [];
  if (startup) {
    parts.push(
      `### Start-up (spawn to first \`200\` of GET agent, median of ${options.startupRuns})`,
      "",
      "| server | median | min | max | CPU used by then (median) |",
      "| --- | ---: | ---: | ---: | ---: |",
      ...["mem", "data"].map(
        (m) =>
          `| ${TARGETS[m]}${m === "data" ? " (new file)" : ""} | ${fmt.ms(startup[m].median)} ms | ${fmt.ms(startup[m].min)} ms | ${fmt.ms(startup[m].max)} ms | ${fmt.ms(startup[m].cpu)} ms |`,
      ),
    );
    if (restart)
      parts.push(
        `| reference (--data), restart on the bench's file (${restart.configs}) | ${fmt.ms(restart.ms)} ms | | | ${fmt.ms(restart.cpu)} ms |`,
      );
    parts.push("");
  }
  if (history) {
    parts.push(
      "### Memory and growth with history",
      "",
      `One tenant, 10,000 configurations created over HTTP in ${(history.createMs / 1000).toFixed(1)} s (${fmt.int(10_000 / (history.createMs / 1000))}/s, 8 at a time); ` +
        `1,000 of them run hourly, so each virtual hour adds 1,000 backups. RSS of the idle server: ${fmt.mb(history.idleMb)}; with the 10,000 configurations: ${fmt.mb(history.configsMb)}.`,
      "",
      "| backups | catch-up so far | +1 h (1,000 runs) | GET /backup-configuration | GET /activity (items, size) | GET agent | GET completed backups | RSS after catch-up | RSS after the reads (peak) |",
      "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      ...history.points.map(
        (p) =>
          `| ${fmt.int(p.backups)} | ${(p.advanceMs / 1000).toFixed(1)} s | ${fmt.ms(p.hourMs)} ms | ${fmt.ms(p.list.median)} ms | ${fmt.ms(p.activity.median)} ms (${fmt.int(p.activityItems)}, ${fmt.bytes(p.activity.bytes)}) | ${fmt.ms(p.agent.median)} ms | ${fmt.ms(p.completed.median)} ms | ${fmt.mb(p.worldMb)} | ${fmt.mb(p.rssMb)} (${fmt.mb(p.peakMb)}) |`,
      ),
      "",
      "Latencies are medians of sequential requests on one connection (3 to 5 each, fewer past 5 s). RSS is read once 1 s after the catch-up " +
        "(the world's size) and again after the reads and the extra hour; the peak is the process's high-water mark so far. No garbage collection is forced.",
      ...history.notes.map((n) => `\n${n}`),
      "",
    );
  }
  return parts.join("\n");
}

// ---------------------------------------------------------------- main

function loadRange(rows) {
  const loads = rows.map((r) => r.result?.load1).filter((n) => Number.isFinite(n));
  return loads.length ? `${Math.min(...loads).toFixed(1)} to ${Math.max(...loads).toFixed(1)} (${cpus().length} CPUs)` : "—";
}

async function startTargets(scenarios, notes) {
  /** @type {Record<string, import("./servers.mjs").Proc>} */
  const procs = {};
  const dataFile = join(tmpDir, "bench.db");
  const wants = (target) =>
    targetWanted(target) &&
    scenarios.some(
      (s) =>
        (SCENARIO_TARGETS[s] ?? []).includes(target) ||
        (s === "session" && ["mem", "data"].includes(target)) ||
        (s === "fairness" && ["mem", "ceiling"].includes(target)),
    );
  const starts = [];
  const start = (target, fn) => {
    if (!wants(target)) return;
    starts.push(
      fn().then(
        (p) => (procs[target] = p),
        (error) => {
          notes.push(`${TARGETS[target]} was not measured: ${/** @type {Error} */ (error).message.split("\n")[0]}`);
          log(notes.at(-1));
        },
      ),
    );
  };
  start("mem", () => startReference({ name: "mem" }));
  start("mem-frozen", () => startReference({ name: "mem-frozen", frozen: true }));
  start("data", () => startReference({ name: "data", data: dataFile }));
  start("data-frozen", () => startReference({ name: "data-frozen", frozen: true, data: join(tmpDir, "bench-frozen.db") }));
  start("ceiling", () => startCeiling());
  start("prism", () => startPrism());
  start("mockoon", () => startMockoon());
  await Promise.all(starts);
  if (!procs.ceiling && wants("ceiling")) throw new Error("the ceiling did not start");
  return { procs, dataFile };
}

/** Runs one measured cell and records its row. */
async function cell(rows, notes, scenario, target, proc, spec, probeMs, round) {
  const row = { scenario, target, round };
  rows.push(row);
  if (!proc) {
    row.skipped = "not started";
    return row;
  }
  try {
    if (probeMs === undefined) probeMs = (await probe(proc.baseUrl, spec)).slowest;
    row.result = await measure(scenario, target, proc.baseUrl, spec, proc.child.pid, probeMs);
  } catch (error) {
    row.skipped = /** @type {Error} */ (error).message.split("\n")[0];
    notes.push(`${SCENARIO_TITLES[scenario]} / ${TARGETS[target]} failed: ${row.skipped}`);
    log(notes.at(-1));
  }
  return row;
}

/**
 * Fairness: one tenant lists its 10,000 configurations at 50 connections while one connection
 * reads the demo agent; both loads run at once for the cell's duration.
 */
async function fairness(target, label, proc, bigSpec, load, notes) {
  const out = { target, label, load };
  if (!proc) return { ...out, skipped: "not started" };
  const small = { entries: [{ method: "GET", path: agentPath, headers: { "X-Auth-Token": DEMO.token } }] };
  try {
    await probe(proc.baseUrl, bigSpec);
    const stamp = `fair-${target}-${Date.now().toString(36)}`;
    const seconds = options.duration;
    const cpuBefore = cpuSecondsOf(proc.child.pid);
    const [big, smallResult] = await Promise.all([
      runLoad({ loader, baseUrl: proc.baseUrl, spec: bigSpec, seconds, connections: options.connections, tmpDir, prefix: `${stamp}-big` }),
      runLoad({ loader, baseUrl: proc.baseUrl, spec: small, seconds, connections: 1, tmpDir, prefix: `${stamp}-small` }),
    ]);
    out.cpu = cpuSecondsOf(proc.child.pid) - cpuBefore;
    out.big = big;
    out.small = smallResult;
    await settle(proc.child.pid);
    log(
      `fairness / ${label}: big ${fmt.int(big.rps)} lists/s (p99 ${fmt.ms(big.p99)} ms); small GET ${fmt.int(smallResult.rps)} req/s, p50 ${fmt.ms(smallResult.p50)} ms, p99 ${fmt.ms(smallResult.p99)} ms`,
    );
  } catch (error) {
    out.skipped = /** @type {Error} */ (error).message.split("\n")[0];
    notes.push(`fairness / ${label} failed: ${out.skipped}`);
    log(notes.at(-1));
  }
  return out;
}

async function main() {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npm run build, or run the bench through turbo: npm run bench)`);
  const info = machine();
  const startedAt = new Date();
  const t0 = performance.now();
  log(`machine: ${info.nproc} CPUs (${info.cpu}), ${info.memory}, Node ${info.node}, load ${info.load}; loader ${loader}`);
  const notes = [];
  const scenarios = SCENARIOS.filter(wanted);
  const { procs, dataFile } = await startTargets(scenarios, notes);
  if (!options.peers) notes.push("The peer mock servers were skipped (--no-peers).");
  else if (!options.prism) notes.push("Prism was skipped (--no-prism).");

  // Tenants: the list sizes a scenario needs, on the memory and --data servers (default clock);
  // the frozen memory server gets the two smaller lists; the frozen --data server only serves get agent.
  const listsWanted = Object.keys(LIST_SIZES).filter((s) => wanted(s) || (s === "list-10000" && wanted("fairness")));
  log("building the bench tenants on the reference servers (over HTTP)…");
  const worlds = {};
  await Promise.all(
    [
      ["mem", listsWanted],
      ["data", listsWanted],
      ["mem-frozen", listsWanted.filter((s) => s !== "list-10000")],
    ]
      .filter(([t]) => procs[t])
      .map(async ([t, sizes]) => (worlds[t] = await buildWorld(t, procs[t].baseUrl, sizes))),
  );
  const timingText = (w) =>
    Object.entries(w.timings)
      .map(([s, ms]) => `${fmt.int(LIST_SIZES[s])} in ${(ms / 1000).toFixed(1)} s`)
      .join(", ");
  notes.push(
    `Setup (the servers at once, 8 requests in flight each): configurations created over HTTP — ${Object.entries(worlds)
      .map(([t, w]) => `${TARGETS[t]}: ${timingText(w)}`)
      .join("; ")}.`,
  );
  const ctxOf = (target) => worlds[target]?.ctx ?? worlds.mem?.ctx ?? { name: target, base: "", tenants: {}, configs: {} };

  // The memory server's answers, byte for byte, for the ceiling, WireMock and json-server.
  /** @type {Record<string, Array<{ method: string, path: string, status: number, body: string }>>} */
  const captured = {};
  const probeMs = {};
  const loadScenarios = scenarios.filter((s) => s in SCENARIO_TARGETS);
  for (const scenario of [...new Set([...loadScenarios, ...(wanted("fairness") ? ["get-agent", "list-10000"] : [])])]) {
    if (!procs.mem) break;
    try {
      const p = await probe(procs.mem.baseUrl, specFor(scenario, ctxOf("mem")));
      captured[scenario] = p.answers;
      probeMs[scenario] = p.slowest;
      if (procs.ceiling) await call(procs.ceiling.baseUrl, "POST", "/__bench/answers", { body: p.answers });
    } catch (error) {
      notes.push(
        `${SCENARIO_TITLES[scenario]}: the memory server failed its probe: ${/** @type {Error} */ (error).message.split("\n")[0]}`,
      );
      log(notes.at(-1));
    }
  }
  // Peers that hold given answers.
  const later = [];
  if (targetWanted("wiremock") && scenarios.includes("get-agent") && captured["get-agent"]) {
    later.push(
      startWiremock(captured["get-agent"]).then(
        (p) => (procs.wiremock = p),
        (error) => notes.push(`WireMock was not measured: ${/** @type {Error} */ (error).message.split("\n")[0]}`),
      ),
    );
  }
  if (
    targetWanted("json-server") &&
    (loadScenarios.some((s) => SCENARIO_TARGETS[s].includes("json-server")) || scenarios.includes("session"))
  ) {
    const { db, routes } = jsonServerWorld(captured);
    const readDb = { agents: db.agents, ...Object.fromEntries(Object.entries(db).filter(([k]) => k.startsWith("list"))) };
    later.push(
      startJsonServer(join(tmpDir, "json-read"), readDb, routes).then(
        (p) => (procs["json-server"] = p),
        (error) => notes.push(`json-server was not measured: ${/** @type {Error} */ (error).message.split("\n")[0]}`),
      ),
    );
    // Writes go to a small db of their own: json-server rewrites its whole file after each change.
    later.push(
      startJsonServer(join(tmpDir, "json-write"), { created: [], ...JSON_SERVER_SESSION_DB }, routes).then(
        (p) => (procs["json-server-writes"] = p),
        (error) => notes.push(`json-server (writes) was not measured: ${/** @type {Error} */ (error).message.split("\n")[0]}`),
      ),
    );
  }
  await Promise.all(later);
  for (const n of notes.filter((n) => /was not measured/.test(n))) log(n);

  /** @type {Row[]} */
  const rows = [];
  const rounds = options.rounds;
  for (const scenario of loadScenarios) {
    if (!captured[scenario]) continue;
    const targets = SCENARIO_TARGETS[scenario].filter(targetWanted);
    const n = scenario === "get-agent" ? rounds : 1;
    for (let round = 1; round <= n; round++) {
      for (const target of targets) {
        let proc = procs[target];
        if (target === "json-server" && scenario === "create") proc = procs["json-server-writes"];
        const spec = target === "data" || target === "mem-frozen" ? specFor(scenario, ctxOf(target)) : specFor(scenario, ctxOf("mem"));
        // Every target of a scenario runs with the same connections, chosen by the memory server's probe.
        const slowest = probeMs[scenario];
        const p =
          target === "mem"
            ? slowest
            : proc
              ? await probe(proc.baseUrl, spec)
                  .then((x) => Math.max(x.slowest, slowest))
                  .catch(() => slowest)
              : slowest;
        await cell(rows, notes, scenario, target, proc, spec, p, n > 1 ? round : undefined);
      }
    }
  }

  /** @type {Array<{ target: string, result?: any, skipped?: string }>} */
  const sessions = [];
  if (wanted("session")) {
    const concurrency = 8;
    for (const [target, kind, proc] of [
      ["mem", "reference", procs.mem],
      ["data", "reference", procs.data],
      ["json-server", "json-server", procs["json-server-writes"]],
    ]) {
      if (!targetWanted(target)) continue;
      if (!proc) {
        sessions.push({ target, skipped: "not started" });
        continue;
      }
      const result = await runSessions({ base: proc.baseUrl, kind, seconds: options.duration, concurrency });
      await settle(proc.child.pid);
      sessions.push({ target, result });
      log(
        `session / ${TARGETS[target]}: ${result.sessions} sessions (${result.failures} failed${result.firstError ? `: ${result.firstError}` : ""}), p50 ${fmt.ms(result.p50)} ms, p99 ${fmt.ms(result.p99)} ms, ${result.perSecond.toFixed(1)} sessions/s`,
      );
    }
  }

  const fair = [];
  if (wanted("fairness") && captured["list-10000"]) {
    const t = ctxOf("mem").tenants["list-10000"];
    const list = { method: "GET", path: `/v1.0/${t.tenantId}/backup-configuration`, headers: { "X-Auth-Token": t.token } };
    const update = {
      method: "PUT",
      path: `/v1.0/${t.tenantId}/backup-configuration/${ctxOf("mem").configs["list-10000"][0]}`,
      headers: { "X-Auth-Token": t.token, ...json },
      body: JSON.stringify(configBody(t.agents[0], "list-0")),
    };
    const withWrites = { entries: [list, update], cycle: [...Array(19).fill(0), 1] };
    if (procs.ceiling) {
      // The ceiling answers the update with the memory server's captured 200.
      const res = await http(procs.mem.baseUrl + update.path, { method: "PUT", headers: update.headers, body: update.body });
      await call(procs.ceiling.baseUrl, "POST", "/__bench/answers", {
        body: [{ method: "PUT", path: update.path, status: res.status, body: res.body }],
      });
    }
    if (targetWanted("mem")) {
      fair.push(await fairness("mem", TARGETS.mem, procs.mem, { entries: [list] }, "lists only", notes));
      fair.push(await fairness("mem-writes", TARGETS.mem, procs.mem, withWrites, "lists, 1 update in 20", notes));
    }
    if (targetWanted("ceiling"))
      fair.push(await fairness("ceiling", TARGETS.ceiling, procs.ceiling, withWrites, "lists, 1 update in 20 (same bytes)", notes));
  }

  // The --data server restarts from the file the bench filled.
  await Promise.all(
    Object.entries(procs)
      .filter(([t]) => t !== "data")
      .map(([, p]) => stopProcess(p)),
  );
  if (procs.data) await stopProcess(procs.data);
  let restart;
  if (options.scaling && procs.data && worlds.data) {
    const again = await startReference({ name: "data-restart", data: dataFile, timeoutMs: 120_000 });
    let configs = 0;
    for (const tenant of Object.values(worlds.data.ctx.tenants)) {
      const res = await call(again.baseUrl, "GET", `/v1.0/${tenant.tenantId}/backup-configuration`, { token: tenant.token });
      configs += JSON.parse(res.body).length;
    }
    restart = { ms: again.startMs, cpu: again.startCpu * 1000, configs: `${fmt.int(configs)} configurations in the bench tenants` };
    await stopProcess(again);
  }

  let startup;
  let history;
  if (options.scaling) {
    log("start-up figures…");
    startup = await startupFigures();
    log("history figures…");
    history = await historyFigures();
  }

  const checks = targetChecks(rows, startup, history, sessions, fair);
  // Every scenario measured here expects success: a non-2xx answer makes the run fail.
  const unexpected = unexpectedAnswers(
    [
      ...rows.map((r) => ({
        title: `${SCENARIO_TITLES[r.scenario]} / ${TARGETS[r.target]}${r.round ? ` (round ${r.round})` : ""}`,
        result: r.result,
      })),
      ...fair.flatMap((f) => [
        { title: `fairness / ${f.label} (${f.load}): the big tenant's load`, result: f.big },
        { title: `fairness / ${f.label} (${f.load}): the small GET`, result: f.small },
      ]),
    ],
    sessions.filter((s) => s.result).map((s) => ({ title: `session replay / ${TARGETS[s.target]}`, ...s.result })),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const after = loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");
  const pairs = pairTable(rows);
  const report = [
    "# Reference server benchmark",
    "",
    `Run ${startedAt.toISOString()} in ${elapsed.toFixed(0)} s on ${info.nproc} CPUs (${info.cpu}), ${info.memory}, Node ${info.node}; ` +
      `load generator ${loader === "wrk" ? info.wrk : "autocannon"}. Peers: ${info.peers}. Load average ${info.load} before, ${after} after. ` +
      `Server built from ${info.source}.`,
    "",
    ...(unexpected.length
      ? [`**This run failed: answers that should all be 2xx were not.**`, "", ...unexpected.map((u) => `- ${u}`), ""]
      : []),
    `Each cell: ${options.warmup} s warm-up, then ${options.duration} s at ${options.connections} connections over loopback; get agent details in ${rounds} interleaved round${rounds === 1 ? "" : "s"}. ` +
      `One-minute load average while cells ran: ${loadRange(rows)}.`,
    "",
    table(rows),
    "",
    "`conns*`: no warm-up and fewer connections, because one request alone took over " +
      SLOW_MS +
      " ms (see Method). " +
      "Ratios below use each target's best round (a busy machine only slows a target down).",
    "",
    ...(pairs
      ? [
          "### Get agent details: every pair",
          "",
          "Each cell is the row's req/s divided by the column's (in brackets: per CPU second of the server).",
          "",
          pairs,
          "",
        ]
      : []),
    ...(sessions.length
      ? [
          "### CI-like session replay",
          "",
          `8 sessions at a time for ${options.duration} s, each a new tenant's whole test run, timed end to end (see Method).`,
          "",
          sessionTable(sessions),
          "",
        ]
      : []),
    ...(fair.length
      ? [
          "### Fairness",
          "",
          `A tenant with 10,000 configurations (about 14 MB per list) is listed at ${options.connections} connections while one connection reads the demo agent (another tenant), both for ${options.duration} s.`,
          "",
          fairnessTable(fair),
          "",
        ]
      : []),
    "### Targets",
    "",
    "| target | measured | met |",
    "| --- | --- | :---: |",
    ...checks.map((c) => `| ${c.name} | ${c.shown} | ${c.ok === undefined ? "—" : c.ok ? "yes" : "**no**"} |`),
    "",
    scalingMarkdown(startup, history, restart),
    notes.length ? `### Notes\n\n${notes.map((n) => `- ${n}`).join("\n")}\n` : "",
  ].join("\n");

  console.log(`\n${report}`);
  const out = options.out ?? join(BENCH_DIR, "RESULTS.md");
  if (out !== "-") {
    const method = readFileSync(join(BENCH_DIR, "METHOD.md"), "utf8");
    writeFileSync(out, `${report}\n${method}`);
    log(`wrote ${out}`);
  }
  if (options.strict && checks.some((c) => c.ok === false)) process.exitCode = 1;
  if (unexpected.length) {
    console.error(`bench: FAILED, answers that should all be 2xx were not:\n${unexpected.map((u) => `  ${u}`).join("\n")}`);
    process.exitCode = 1;
  }
}

main()
  .catch((error) => {
    console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  })
  .finally(cleanup);
