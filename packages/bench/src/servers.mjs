// Starting, probing and stopping the processes under test.
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const CLI = join(dirname(require.resolve("@cloud-backup/reference-server/package.json")), "dist", "cli.js");
export const SPEC = require.resolve("@cloud-backup/spec/openapi.json");
export const CEILING = join(BENCH_DIR, "src", "ceiling.mjs");

/** A free loopback port (bound and released; another process could take it meanwhile, rarely). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/**
 * One HTTP request without keep-alive; resolves with status and body text.
 * @param {string} url
 * @param {{ method?: string, headers?: Record<string, string>, body?: string, timeoutMs?: number }} [o]
 * @returns {Promise<{ status: number, body: string }>}
 */
export function http(url, o = {}) {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: o.method ?? "GET",
        headers: {
          ...(o.headers ?? {}),
          ...(o.body !== undefined ? { "content-type": "application/json", "content-length": Buffer.byteLength(o.body) } : {}),
        },
        agent: false,
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (o.timeoutMs) req.setTimeout(o.timeoutMs, () => req.destroy(new Error(`timed out after ${o.timeoutMs} ms: ${url}`)));
    req.end(o.body);
  });
}

/**
 * @typedef {object} Proc
 * @property {string} name
 * @property {string} baseUrl
 * @property {number} port
 * @property {import("node:child_process").ChildProcess} child
 * @property {number} startMs   spawn to first 2xx answer of the readiness probe
 * @property {number} startCpu  CPU seconds the process had used by then
 * @property {() => string} output   what the process printed (last 64 KB)
 */

/** @type {Set<import("node:child_process").ChildProcess>} */
const running = new Set();

/** Stops every process this module started (on exit or interrupt). */
export function killAll() {
  for (const child of running) if (child.exitCode === null && child.pid) child.kill("SIGKILL");
}

/**
 * Spawns a process and waits until `probePath` answers 2xx.
 * @param {{ name: string, command: string, args: string[], port: number, probePath: string, probeHeaders?: Record<string, string>, timeoutMs?: number, env?: NodeJS.ProcessEnv, pollMs?: number }} o
 * @returns {Promise<Proc>}
 */
export async function startProcess(o) {
  const started = performance.now();
  const child = spawn(o.command, o.args, { stdio: ["ignore", "pipe", "pipe"], env: o.env ?? process.env });
  running.add(child);
  child.on("exit", () => running.delete(child));
  let out = "";
  const keep = (chunk) => {
    out = (out + chunk.toString()).slice(-65_536);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const baseUrl = `http://127.0.0.1:${o.port}`;
  const deadline = started + (o.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${o.name} exited with ${child.exitCode} before answering:\n${out}`);
    try {
      const res = await http(baseUrl + o.probePath, { headers: o.probeHeaders, timeoutMs: 2_000 });
      if (res.status >= 200 && res.status < 300) break;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${o.name} did not answer ${o.probePath} within ${o.timeoutMs ?? 60_000} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, o.pollMs ?? 5));
  }
  const startMs = performance.now() - started;
  return { name: o.name, baseUrl, port: o.port, child, startMs, startCpu: cpuSecondsOf(child.pid), output: () => out };
}

/** Stops a process (SIGINT, then SIGKILL after 5 s) and waits for it to exit. */
export async function stopProcess(proc) {
  const { child } = proc;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGINT");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Resident and peak resident memory of a process, in MB (Linux /proc). */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
    return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024 };
  } catch {
    return { rssMb: NaN, peakMb: NaN };
  }
}

let ticks = 100;
try {
  ticks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
} catch {
  // Linux uses 100 almost everywhere
}

/** CPU seconds (user + system) a process has used so far (Linux /proc; NaN elsewhere). */
export function cpuSecondsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / ticks;
  } catch {
    return NaN;
  }
}

/** The agent every figure reads: the demo account's Web Server. */
export const DEMO = { tenant: "1234", token: "demo-token", agent: 213564 };

/**
 * Starts the reference server CLI: on its default clock (one virtual second per second), or
 * frozen (`--clock-speed 0`) with `frozen`.
 * @param {{ name: string, data?: string, frozen?: boolean, port?: number, nodeArgs?: string[], timeoutMs?: number, env?: NodeJS.ProcessEnv }} o
 */
export async function startReference(o) {
  const port = o.port ?? (await freePort());
  const args = [...(o.nodeArgs ?? []), CLI, "--port", String(port), "--quiet", ...(o.frozen ? ["--clock-speed", "0"] : [])];
  if (o.data) args.push("--data", o.data);
  return startProcess({
    name: o.name,
    command: process.execPath,
    args,
    port,
    probePath: `/v1.0/${DEMO.tenant}/agent/${DEMO.agent}`,
    probeHeaders: { "x-auth-token": DEMO.token },
    timeoutMs: o.timeoutMs,
    env: o.env,
  });
}

/** Starts the bare Hono ceiling. */
export async function startCeiling() {
  const port = await freePort();
  return startProcess({
    name: "ceiling",
    command: process.execPath,
    args: [CEILING, String(port)],
    port,
    probePath: "/__bench/health",
    timeoutMs: 30_000,
  });
}

/** Path of the Prism CLI installed with the bench (undefined when missing). */
export function prismBin() {
  try {
    const pkg = require.resolve("@stoplight/prism-cli/package.json");
    const bin = require(pkg).bin;
    return join(dirname(pkg), typeof bin === "string" ? bin : bin.prism);
  } catch {
    return undefined;
  }
}

/** Starts Prism mocking the bundled description (errors-only logging, like the reference server's --quiet). */
export async function startPrism() {
  const bin = prismBin();
  if (!bin) throw new Error("@stoplight/prism-cli is not installed (npm install in packages/bench)");
  const port = await freePort();
  return startProcess({
    name: "prism",
    command: process.execPath,
    args: [bin, "mock", SPEC, "-h", "127.0.0.1", "-p", String(port), "--verboseLevel", "error"],
    port,
    probePath: `/v1.0/${DEMO.tenant}/agent/${DEMO.agent}`,
    probeHeaders: { "x-auth-token": DEMO.token },
    timeoutMs: 60_000,
    pollMs: 100,
  });
}
