#!/usr/bin/env node
// The reference server's benchmark: in memory, with --data (SQLite), a bare Hono ceiling and
// Prism, side by side in one run, then start-up, memory and growth with history.
// Run from the repository root with `npm run bench` (see ../README.md).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { advance, call, configBody, createConfigs, createTenant, startBackup, timeRequest } from "./api.mjs";
import { parseArgs, SCENARIOS, USAGE } from "./args.mjs";
import { hasWrk, runLoad } from "./load.mjs";
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
 * @typedef {{ name: string, base: string, tenants: Record<string, BenchTenant>, configs: Record<string, number[]> }} Context
 * @typedef {{ scenario: string, target: string, result?: LoadResult, skipped?: string, probe?: string }} Row
 */

const TARGETS = { mem: "reference (memory)", data: "reference (--data)", ceiling: "bare Hono ceiling", prism: "Prism mock" };
const LIST_SIZES = { "list-10": 10, "list-1000": 1_000, "list-10000": 10_000 };
const SCENARIO_TITLES = {
  "get-agent": "get agent details",
  "list-10": "list 10 configurations",
  "list-1000": "list 1,000 configurations",
  "list-10000": "list 10,000 configurations",
  create: "create a configuration",
  mixed: "mixed CI-like (80% reads / 20% writes)",
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
  times: (n) => (Number.isFinite(n) ? `${n >= 10 ? n.toFixed(0) : n.toFixed(1)}×` : "—"),
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
      return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim().split("\n")[0];
    } catch (error) {
      return String(/** @type {any} */ (error).stdout ?? "").trim().split("\n")[0] || "missing";
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
    load: loadavg().map((n) => n.toFixed(2)).join(" "),
    source: sourceState(),
  };
}

/** The commit measured, and whether the server's sources differ from it (the build is of the work tree). */
function sourceState() {
  const root = join(BENCH_DIR, "..", "..");
  try {
    const head = execFileSync("git", ["-C", root, "rev-parse", "--short", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const dirty = execFileSync("git", ["-C", root, "status", "--porcelain", "--", "packages/spec", "packages/server", "apps/reference-server"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    })
      .split("\n")
      .filter(Boolean).length;
    return dirty ? `commit ${head} plus ${dirty} uncommitted change${dirty === 1 ? "" : "s"} under packages/spec, packages/server and apps/reference-server` : `commit ${head}`;
  } catch {
    return "unknown (not a git work tree)";
  }
}

// ---------------------------------------------------------------- worlds

const TENANTS = { "list-10": "bench-list-10", "list-1000": "bench-list-1000", "list-10000": "bench-list-10000", create: "bench-create", mixed: "bench-mixed" };

/** Builds the bench tenants on a reference server through the API; returns its context. */
async function buildWorld(name, base) {
  /** @type {Context} */
  const ctx = { name, base, tenants: {}, configs: {} };
  const timings = {};
  for (const [scenario, size] of Object.entries(LIST_SIZES)) {
    if (!wanted(scenario)) continue;
    const tenant = (ctx.tenants[scenario] = await createTenant(base, TENANTS[scenario]));
    const { ids, ms } = await createConfigs(base, tenant, size, { concurrency: 8, prefix: "list" });
    ctx.configs[scenario] = ids;
    timings[scenario] = ms;
  }
  ctx.tenants.create = await createTenant(base, TENANTS.create);
  const mixed = (ctx.tenants.mixed = await createTenant(base, TENANTS.mixed));
  ctx.configs.mixed = (await createConfigs(base, mixed, 20, { prefix: "mixed" })).ids;
  for (const id of ctx.configs.mixed.slice(0, 5)) await startBackup(base, mixed, id);
  // An hour later the five backups have completed and show in the activity list.
  await advance(base, 3600);
  return { ctx, timings };
}

function wanted(scenario) {
  return !options.only || options.only.includes(scenario);
}

// ---------------------------------------------------------------- scenarios

const json = { "content-type": "application/json" };

/**
 * The load of a scenario against a reference-server context (the ceiling replays the memory
 * server's context; Prism gets the demo account's paths).
 * @param {string} scenario
 * @param {Context} ctx
 * @returns {LoadSpec}
 */
function specFor(scenario, ctx) {
  if (scenario === "get-agent") return { entries: [{ method: "GET", path: `/v1.0/${DEMO.tenant}/agent/${DEMO.agent}`, headers: { "X-Auth-Token": DEMO.token } }] };
  if (scenario in LIST_SIZES) {
    const t = ctx.tenants[scenario];
    return { entries: [{ method: "GET", path: `/v1.0/${t.tenantId}/backup-configuration`, headers: { "X-Auth-Token": t.token } }] };
  }
  if (scenario === "create") {
    const t = ctx.tenants.create;
    const body = JSON.stringify(configBody(t.agents[0], "__UNIQUE__"));
    return { entries: [{ method: "POST", path: `/v1.0/${t.tenantId}/backup-configuration`, headers: { "X-Auth-Token": t.token, ...json }, body, unique: true }] };
  }
  // mixed: what a CI suite does to a tenant, 16 reads and 4 writes in every 20 requests.
  const t = ctx.tenants.mixed;
  const [c0, c1, c2] = ctx.configs.mixed;
  const auth = { "X-Auth-Token": t.token };
  const p = (rest) => `/v1.0/${t.tenantId}${rest}`;
  const entries = [
    { method: "GET", path: p(`/agent/${t.agents[0]}`), headers: auth },
    { method: "GET", path: p("/user/agents"), headers: auth },
    { method: "GET", path: p("/backup-configuration"), headers: auth },
    { method: "GET", path: p(`/backup-configuration/${c0}`), headers: auth },
    { method: "GET", path: p("/activity"), headers: auth },
    { method: "POST", path: p("/backup-configuration"), headers: { ...auth, ...json }, body: JSON.stringify(configBody(t.agents[0], "__UNIQUE__")), unique: true },
    { method: "PUT", path: p(`/backup-configuration/${c1}`), headers: { ...auth, ...json }, body: JSON.stringify(configBody(t.agents[0], "mixed-1")) },
    { method: "POST", path: p(`/backup-configuration/enable/${c2}`), headers: { ...auth, ...json }, body: JSON.stringify({ Enable: true }) },
    { method: "POST", path: p("/user/wakeupagents"), headers: auth },
  ];
  return { entries, cycle: [0, 1, 2, 3, 4, 0, 5, 1, 2, 3, 6, 4, 0, 1, 2, 7, 3, 4, 0, 8] };
}

/** Prism only makes sense for reads of the demo account: it answers the documented example. */
function prismSpec(scenario) {
  if (scenario === "get-agent") return specFor("get-agent", /** @type {any} */ ({}));
  return { entries: [{ method: "GET", path: `/v1.0/${DEMO.tenant}/backup-configuration`, headers: { "X-Auth-Token": DEMO.token } }] };
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
  const load = (seconds, phase) => runLoad({ loader, baseUrl: base, spec, seconds, connections, tmpDir, prefix: `${phase}${++runs}-${stamp}` });
  if (options.warmup > 0 && !slow) {
    await load(options.warmup, "w");
    await settle(pid);
  }
  const cpuBefore = cpuSecondsOf(pid);
  const load1 = loadavg()[0];
  const result = await load(options.duration, "m");
  const cpu = cpuSecondsOf(pid) - cpuBefore;
  const drainMs = await settle(pid);
  Object.assign(result, { cpu, perCpu: result.requests / cpu, load1, connections, warm: !slow && options.warmup > 0, probeMs, drainMs });
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
    log(`start-up ${mode}: median ${fmt.ms(figures[mode].median)} ms (${times.map((t) => t.toFixed(0)).join(", ")}), CPU ${fmt.ms(figures[mode].cpu)} ms`);
  }
  return figures;
}

/**
 * A fresh in-memory server, one tenant with 10,000 configurations (1,000 of them hourly), and
 * the virtual clock advanced until those have run 1,000, 10,000 and 100,000 backups.
 */
async function historyFigures() {
  const proc = await startReference({ name: "history" });
  const base = proc.baseUrl;
  const out = { idleMb: memoryOf(proc.child.pid).rssMb, points: [], notes: [] };
  try {
    const tenant = await createTenant(base, "bench-history", 2);
    const made = await createConfigs(base, tenant, 10_000, { concurrency: 8, hourly: 1_000, prefix: "hist" });
    out.createMs = made.ms;
    out.configsMb = memoryOf(proc.child.pid).rssMb;
    log(`history: 10,000 configurations created over HTTP in ${(made.ms / 1000).toFixed(1)} s (${fmt.int(10_000 / (made.ms / 1000))}/s), RSS ${fmt.mb(out.configsMb)}`);
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
      const backups = items.filter((i) => i.Type === "Backup").length;
      const list = await timeRequest(base, "GET", `/v1.0/${tenant.tenantId}/backup-configuration`, { ...auth, count: 3, budgetMs: 5_000 });
      const agent = await timeRequest(base, "GET", `/v1.0/${tenant.tenantId}/agent/${tenant.agents[0]}`, { ...auth, count: 5, budgetMs: 5_000 });
      const completed = await timeRequest(base, "GET", `/v1.0/${tenant.tenantId}/backup/completed/${made.ids[0]}`, { ...auth, count: 5, budgetMs: 5_000 });
      // The cost of one more virtual hour: 1,000 scheduled runs caught up.
      const hourMs = await advance(base, 3600);
      hours += 1;
      const mem = memoryOf(proc.child.pid);
      const point = { target, hours, backups, advanceMs, hourMs, activity, activityItems: items.length, list, agent, completed, worldMb: world.rssMb, ...mem };
      out.points.push(point);
      log(
        `history: ${fmt.int(backups)} backups after ${hours - 1} h (catch-up ${(advanceMs / 1000).toFixed(1)} s): activity ${fmt.ms(activity.median)} ms (${fmt.bytes(activity.bytes)}), ` +
          `list ${fmt.ms(list.median)} ms, agent ${fmt.ms(agent.median)} ms, +1 h ${fmt.ms(hourMs)} ms, RSS ${fmt.mb(world.rssMb)} after catch-up, ${fmt.mb(mem.rssMb)} after the reads (peak ${fmt.mb(mem.peakMb)})`,
      );
      if (stopped) {
        out.notes.push(`Stopped building history at ${fmt.int(backups)} backups: the ${options.historyBudget} s budget (--history-budget) ran out before ${fmt.int(target)}.`);
        break;
      }
    }
  } finally {
    await stopProcess(proc);
  }
  return out;
}

// ---------------------------------------------------------------- report

function table(rows, ceilingOf, prismOf) {
  const lines = [
    "| scenario | target | conns | req/s | p50 ms | p99 ms | ≥400 / socket err | vs ceiling | vs Prism | server CPU | req per CPU-s |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const row of rows) {
    const title = SCENARIO_TITLES[row.scenario];
    if (!row.result) {
      lines.push(`| ${title} | ${TARGETS[row.target]} | | failed | | | | | | | |`);
      continue;
    }
    const r = row.result;
    const ceiling = ceilingOf(row.scenario);
    const prism = prismOf(row.scenario);
    const vsCeiling = row.target === "ceiling" || !ceiling ? "" : fmt.pct(r.rps / ceiling.rps);
    const vsPrism = row.target === "prism" || !prism ? "" : fmt.times(r.rps / prism.rps);
    lines.push(
      `| ${title} | ${TARGETS[row.target]} | ${r.connections}${r.warm ? "" : "*"} | ${fmt.int(r.rps)} | ${fmt.ms(r.p50)} | ${fmt.ms(r.p99)} | ${r.errorStatus} / ${r.socketErrors} | ${vsCeiling} | ${vsPrism} | ${fmt.pct(r.cpu / r.seconds)} | ${fmt.int(r.perCpu)} |`,
    );
  }
  return lines.join("\n");
}

function targetChecks(rowsBy, startup, history) {
  const checks = [];
  const get = (scenario, target) => rowsBy.get(`${scenario}|${target}`)?.result;
  const check = (name, value, ok, shown) => checks.push({ name, ok: value === undefined ? undefined : ok, shown: value === undefined ? "not measured" : shown });
  const ga = get("get-agent", "mem");
  const gc = get("get-agent", "ceiling");
  const gp = get("get-agent", "prism");
  // Shown with the same ratio per CPU-second of the server, which a busy machine disturbs less.
  const perCpu = (a, b, f) => (Number.isFinite(a.perCpu / b.perCpu) ? ` (per CPU-s: ${f(a.perCpu / b.perCpu)})` : "");
  check("get agent, memory ≥ 40% of the ceiling", ga && gc && ga.rps / gc.rps, ga && gc && ga.rps / gc.rps >= 0.4, ga && gc && fmt.pct(ga.rps / gc.rps) + perCpu(ga, gc, fmt.pct));
  check("get agent, memory ≥ 10× Prism", ga && gp && ga.rps / gp.rps, ga && gp && ga.rps / gp.rps >= 10, ga && gp && fmt.times(ga.rps / gp.rps) + perCpu(ga, gp, fmt.times));
  for (const scenario of ["get-agent", "list-10", "list-1000", "list-10000"]) {
    const d = get(scenario, "data");
    const c = get(scenario, "ceiling");
    check(`${SCENARIO_TITLES[scenario]}, --data ≥ 25% of the ceiling`, d && c && d.rps / c.rps, d && c && d.rps / c.rps >= 0.25, d && c && fmt.pct(d.rps / c.rps) + perCpu(d, c, fmt.pct));
  }
  const dc = get("create", "data");
  check("create, --data ≥ 5,000/s (all 2xx)", dc?.rps, dc && dc.rps >= 5000 && dc.errorStatus === 0, dc && `${fmt.int(dc.rps)}/s, ${dc.errorStatus} ≥400`);
  for (const target of ["mem", "data"]) {
    const l = get("list-1000", target);
    const at = l && l.connections !== 50 ? ` (measured at ${l.connections} connections)` : "";
    check(`list 1,000 configurations, ${TARGETS[target]}: p99 < 20 ms at 50 connections`, l?.p99, l && l.p99 < 20 && l.connections >= 50, l && `${fmt.ms(l.p99)} ms${at}`);
  }
  for (const mode of ["mem", "data"]) {
    const s = startup?.[mode];
    check(`start-up to first answer, ${TARGETS[mode]} < 1 s`, s?.median, s && s.median < 1000, s && `${fmt.ms(s.median)} ms (CPU ${fmt.ms(s.cpu)} ms)`);
  }
  const last = history?.points?.at(-1);
  const full = last && last.backups >= 100_000;
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
      "### Start-up (spawn to first `200` of GET agent, median of " + options.startupRuns + ")",
      "",
      "| server | median | min | max | CPU used by then (median) |",
      "| --- | ---: | ---: | ---: | ---: |",
      ...["mem", "data"].map(
        (m) => `| ${TARGETS[m]}${m === "data" ? " (new file)" : ""} | ${fmt.ms(startup[m].median)} ms | ${fmt.ms(startup[m].min)} ms | ${fmt.ms(startup[m].max)} ms | ${fmt.ms(startup[m].cpu)} ms |`,
      ),
    );
    if (restart) parts.push(`| reference (--data), restart on the bench's file (${restart.configs}) | ${fmt.ms(restart.ms)} ms | | | ${fmt.ms(restart.cpu)} ms |`);
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

async function main() {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npm run build, or run the bench through turbo: npm run bench)`);
  const info = machine();
  const startedAt = new Date();
  const t0 = performance.now();
  log(`machine: ${info.nproc} CPUs (${info.cpu}), ${info.memory}, Node ${info.node}, load ${info.load}; loader ${loader}`);
  const notes = [];
  const scenarios = SCENARIOS.filter(wanted);

  const dataFile = join(tmpDir, "bench.db");
  const [mem, data, ceiling] = await Promise.all([startReference({ name: "mem" }), startReference({ name: "data", data: dataFile }), startCeiling()]);
  let prism;
  if (options.prism) {
    try {
      prism = await startPrism();
    } catch (error) {
      notes.push(`Prism was skipped: ${/** @type {Error} */ (error).message.split("\n")[0]}`);
      log(notes.at(-1));
    }
  } else notes.push("Prism was skipped (--no-prism).");

  log("building the bench tenants on both reference servers (over HTTP)…");
  const [memWorld, dataWorld] = await Promise.all([buildWorld("mem", mem.baseUrl), buildWorld("data", data.baseUrl)]);
  for (const [name, w] of [["mem", memWorld], ["data", dataWorld]]) {
    const parts = Object.entries(w.timings).map(([s, ms]) => `${fmt.int(LIST_SIZES[s])} in ${(ms / 1000).toFixed(1)} s`);
    log(`${name}: configurations created: ${parts.join(", ")}`);
  }
  const setupNote = `Setup (both servers at once, 8 requests in flight each): configurations created over HTTP — memory: ${Object.entries(memWorld.timings)
    .map(([s, ms]) => `${fmt.int(LIST_SIZES[s])} in ${(ms / 1000).toFixed(1)} s`)
    .join(", ")}; --data: ${Object.entries(dataWorld.timings)
    .map(([s, ms]) => `${fmt.int(LIST_SIZES[s])} in ${(ms / 1000).toFixed(1)} s`)
    .join(", ")}.`;
  notes.push(setupNote);

  /** @type {Record<string, Context>} */
  const contexts = { mem: memWorld.ctx, data: dataWorld.ctx };
  /** @type {Row[]} */
  const rows = [];
  for (const scenario of scenarios) {
    // The ceiling answers what the memory server answered, byte for byte.
    const memSpec = specFor(scenario, contexts.mem);
    let captured;
    try {
      captured = await probe(mem.baseUrl, memSpec);
      await call(ceiling.baseUrl, "POST", "/__bench/answers", { body: captured.answers });
    } catch (error) {
      const reason = /** @type {Error} */ (error).message.split("\n")[0];
      for (const target of ["mem", "data", "ceiling"]) rows.push({ scenario, target, skipped: reason });
      notes.push(`${SCENARIO_TITLES[scenario]} was not measured: the in-memory server failed its probe: ${reason}`);
      log(notes.at(-1));
      continue;
    }
    /** @type {Array<[string, import("./servers.mjs").Proc, LoadSpec]>} */
    const cells = [
      ["mem", mem, memSpec],
      ["data", data, specFor(scenario, contexts.data)],
      ["ceiling", ceiling, memSpec],
    ];
    if ((scenario === "get-agent" || scenario === "list-10") && prism) cells.push(["prism", prism, prismSpec(scenario)]);
    for (const [target, proc, spec] of cells) {
      const base = proc.baseUrl;
      const row = { scenario, target };
      rows.push(row);
      try {
        const { slowest } = target === "mem" ? captured : await probe(base, spec);
        // Every target of a scenario runs with the same connections, chosen by the slower reference server.
        row.result = await measure(scenario, target, base, spec, proc.child.pid, Math.max(slowest, captured.slowest));
      } catch (error) {
        row.skipped = /** @type {Error} */ (error).message.split("\n")[0];
        notes.push(`${SCENARIO_TITLES[scenario]} / ${TARGETS[target]} failed: ${row.skipped}`);
        log(notes.at(-1));
      }
    }
  }
  const rowsBy = new Map(rows.map((r) => [`${r.scenario}|${r.target}`, r]));
  const ceilingOf = (s) => rowsBy.get(`${s}|ceiling`)?.result;
  // Prism's list is its static example whatever the size, so every list size is set against it.
  const prismOf = (s) => rowsBy.get(`${s in LIST_SIZES ? "list-10" : s}|prism`)?.result;

  // The --data server restarts from the file the bench filled.
  await Promise.all([stopProcess(mem), stopProcess(ceiling), prism ? stopProcess(prism) : undefined]);
  await stopProcess(data);
  let restart;
  if (options.scaling) {
    const again = await startReference({ name: "data-restart", data: dataFile, timeoutMs: 120_000 });
    let configs = 0;
    for (const tenant of Object.values(contexts.data.tenants)) {
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

  const checks = targetChecks(rowsBy, startup, history);
  const elapsed = (performance.now() - t0) / 1000;
  const after = loadavg().map((n) => n.toFixed(2)).join(" ");
  const report = [
    "# Reference server benchmark",
    "",
    `Run ${startedAt.toISOString()} in ${elapsed.toFixed(0)} s on ${info.nproc} CPUs (${info.cpu}), ${info.memory}, Node ${info.node}; ` +
      `load generator ${loader === "wrk" ? info.wrk : "autocannon"}; Prism ${info.prism}. Load average ${info.load} before, ${after} after. ` +
      `Server built from ${info.source}.`,
    "",
    `Each cell: ${options.warmup} s warm-up, then ${options.duration} s at ${options.connections} connections over loopback. ` +
      `One-minute load average while cells ran: ${loadRange(rows)}.`,
    "",
    table(rows, ceilingOf, prismOf),
    "",
    "`conns*`: no warm-up and fewer connections, because one request alone took over " + SLOW_MS + " ms (see Method). " +
    "`vs Prism` for the list sizes compares with Prism's list answer, which is the same documented example (2 configurations) whatever the size.",
    "",
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
}

main()
  .catch((error) => {
    console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  })
  .finally(cleanup);
