/**
 * The reliability suite: bounded in time, it measures and prints
 * - crash-restart cycles under write load (kill -9), and acknowledged writes lost (must be 0);
 * - concurrent writes to one tenant (every acknowledged create distinct and readable);
 * - generated requests over every operation with zero 5xx and zero non-conforming answers;
 * - heap growth over a soak of mixed requests;
 * - 400 MB bodies (Identity, the control API, a chunked API body) refused with the server's
 *   peak RSS under 300 MB, the virtual clock's bound, and the header and request timeouts;
 * - a second server on a data file in use (refused), and acknowledged writes lost (must be 0);
 * - commits failing under write load, then a restart: acknowledged writes lost or renumbered (must be 0);
 * - `Prefer: latency` writes on a running clock across kill -9: acknowledged ids that name another object after the restart (must be 0).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { operations } from "@cloud-backup/spec";
import { createServer, MAX_VIRTUAL_TIME } from "@cloud-backup/server";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { conformanceProblems } from "@cloud-backup/spec/validate";

const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
/** The CLI with a data file whose every 4th commit fails (see the fixture). */
const failingCli = fileURLToPath(new URL("./fixtures/failing-commits.mjs", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "cb-reliability-"));
const figures: Record<string, string | number> = {};
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  console.log(["", "Reliability figures", ...Object.entries(figures).map(([k, v]) => `  ${k}: ${v}`)].join("\n"));
});

const headers = { "X-Auth-Token": "demo-token", "Content-Type": "application/json" };

function startCli(args: string[], script?: string): Promise<{ child: ChildProcess; url: string }> {
  const child = script
    ? spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "pipe"] })
    : spawn(process.execPath, [cli, "--port", "0", "--quiet", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner: ${out}`)), 15_000);
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${out}`));
    });
  });
}

function config(name: string) {
  return {
    MachineAgentId: 202743,
    BackupConfigurationName: name,
    IsActive: true,
    VersionRetention: 30,
    Frequency: "Daily",
    StartTimeHour: 2,
    StartTimeMinute: 0,
    StartTimeAmPm: "AM",
    DayOfWeekId: null,
    HourInterval: null,
    TimeZoneId: "UTC",
    NotifyRecipients: "ops@example.com",
    NotifySuccess: false,
    NotifyFailure: true,
    Inclusions: [{ FilePath: "/etc", FileItemType: "Folder" }],
  };
}

describe("reliability", () => {
  it("loses no acknowledged write across 20 kill -9 restarts under write load", async () => {
    const file = join(dir, "crash.db");
    const acknowledged = new Set<number>();
    let sent = 0;
    let cycles = 0;
    const verify = async (url: string) => {
      const list = (await (await fetch(`${url}/v1.0/1234/backup-configuration`, { headers })).json()) as Array<{
        BackupConfigurationId: number;
      }>;
      const present = new Set(list.map((c) => c.BackupConfigurationId));
      expect([...acknowledged].filter((id) => !present.has(id))).toEqual([]);
    };
    for (let cycle = 0; cycle < 20; cycle++) {
      const { child, url } = await startCli(["--data", file, "--clock-speed", "0"]);
      const exited = new Promise((r) => child.on("exit", r));
      // Every write acknowledged before the previous kill is here after the restart.
      await verify(url);
      let stop = false;
      const writers = Array.from({ length: 16 }, async (_, w) => {
        for (let i = 0; !stop; i++) {
          sent++;
          try {
            const res = await fetch(`${url}/v1.0/1234/backup-configuration`, {
              method: "POST",
              headers,
              body: JSON.stringify(config(`c${cycle}-${w}-${i}`)),
            });
            if (res.status === 200) acknowledged.add((await res.json()).BackupConfigurationId);
          } catch {
            return; // the connection died with the process: not acknowledged
          }
        }
      });
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 250));
      child.kill("SIGKILL");
      stop = true;
      await Promise.all(writers);
      await exited;
      // The file still opens cleanly.
      const db = new Database(file, { readonly: true });
      expect(db.pragma("quick_check", { simple: true })).toBe("ok");
      db.close();
      cycles++;
    }
    const { child: last, url: lastUrl } = await startCli(["--data", file, "--clock-speed", "0"]);
    await verify(lastUrl);
    last.kill("SIGKILL");
    figures["crash-restart cycles (kill -9 under 16 concurrent writers)"] = cycles;
    figures["writes sent / acknowledged / acknowledged and lost"] = `${sent} / ${acknowledged.size} / 0`;
    expect(acknowledged.size).toBeGreaterThan(100);
  }, 400_000);

  it("serialises 1,000 concurrent creates into 1,000 distinct, readable configurations", async () => {
    const { child, url } = await startCli(["--clock-speed", "0"]);
    try {
      const results = await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          fetch(`${url}/v1.0/1234/backup-configuration`, { method: "POST", headers, body: JSON.stringify(config(`concurrent-${i}`)) }).then(
            async (r) => ({ status: r.status, body: await r.json() }),
          ),
        ),
      );
      const ids = results.filter((r) => r.status === 200).map((r) => r.body.BackupConfigurationId as number);
      expect(ids).toHaveLength(1000);
      expect(new Set(ids).size).toBe(1000);
      const list = (await (await fetch(`${url}/v1.0/1234/backup-configuration`, { headers })).json()) as Array<{
        BackupConfigurationId: number;
        BackupConfigurationName: string;
      }>;
      const byId = new Map(list.map((c) => [c.BackupConfigurationId, c.BackupConfigurationName]));
      expect(ids.every((id) => byId.has(id))).toBe(true);
      expect(new Set(ids.map((id) => byId.get(id))).size).toBe(1000);
      figures["concurrent creates acknowledged / distinct / readable"] =
        `${ids.length} / ${new Set(ids).size} / ${ids.filter((id) => byId.has(id)).length}`;
    } finally {
      child.kill("SIGKILL");
    }
  }, 60_000);

  it("answers generated requests to every operation with no 5xx and nothing outside the spec", async () => {
    const app = createServer({ clock: { start: Date.UTC(2026, 6, 1), speed: 0 } });
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const values = [
      1,
      0,
      -1,
      213564,
      202743,
      95874,
      213563,
      2147483648,
      "abc",
      "1e3",
      "",
      null,
      true,
      "true",
      [],
      {},
      "C:\\x",
      "/etc",
      1.5,
      "87c3b6e1-fb1a-41f9-91e5-313ae35a5a06",
    ];
    const pathValues = ["1", "0", "-5", "abc", "213564", "202743", "99999999999", "1e3", "%20", "87c3b6e1-fb1a-41f9-91e5-313ae35a5a06"];
    const keys = [
      "MachineAgentId",
      "Enable",
      "Action",
      "Id",
      "BackupId",
      "RestoreId",
      "Frequency",
      "StartTimeHour",
      "EncryptedPasswordHex",
      "FilePath",
      "Filter",
      "ParentId",
      "FileItemType",
      "DestinationPath",
      "BackupMachineId",
      "DestinationMachineId",
      "OverwriteFiles",
      "LoggingLevelId",
      "UseServiceNet",
      "SourceMachineAgentId",
      "DestinationMachineAgentId",
    ];
    let requests = 0;
    let fiveHundreds = 0;
    const nonConforming: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const op = pick(operations);
      const path = op.path.replace(/\{(\w+)\}/g, (_m, name) =>
        name === "tenant_id" ? (rand() < 0.9 ? "1234" : pick(["5678", "x y"])) : pick(pathValues),
      );
      let body: string | undefined;
      if (op.requestMediaTypes.length) {
        const r = rand();
        if (r < 0.1) body = "{not json";
        else if (r < 0.2) body = JSON.stringify(pick(values));
        else {
          const obj: Record<string, unknown> = {};
          for (let k = 0; k < 1 + Math.floor(rand() * 6); k++) obj[pick(keys)] = pick(values);
          body = JSON.stringify(obj);
        }
      }
      const res = await app.request(path, {
        method: op.method,
        headers: { "X-Auth-Token": rand() < 0.95 ? "demo-token" : "bad", ...(body ? { "Content-Type": "application/json" } : {}) },
        body,
      });
      const text = await res.text();
      requests++;
      if (res.status >= 500) fiveHundreds++;
      const problems = conformanceProblems(op.method, path, res.status, res.headers.get("content-type"), text);
      if (problems.length) nonConforming.push(`${op.method} ${path} ${body ?? ""}: ${problems.join("; ")}`);
    }
    figures["generated requests / 5xx / non-conforming answers"] = `${requests} / ${fiveHundreds} / ${nonConforming.length}`;
    expect(fiveHundreds).toBe(0);
    expect(nonConforming.slice(0, 5)).toEqual([]);
  }, 60_000);

  it("keeps heap growth bounded over a soak of mixed requests", async () => {
    const app = createServer({ clock: { start: Date.UTC(2026, 6, 1), speed: 0 } });
    const round = async (i: number) => {
      await app.request("/v1.0/1234/user/agents", { headers });
      await app.request("/v1.0/1234/activity", { headers });
      await app.request(`/v1.0/1234/backup-configuration/${i % 5 === 0 ? "abc" : "180000"}`, { headers });
      await app.request("/v1.0/1234/agent/enable", {
        method: "POST",
        headers,
        body: JSON.stringify({ MachineAgentId: 213564, Enable: true }),
      });
    };
    for (let i = 0; i < 500; i++) await round(i); // warm up
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const before = process.memoryUsage().heapUsed;
    const started = Date.now();
    let rounds = 0;
    while (Date.now() - started < 5_000) await round(rounds++);
    gc?.();
    const after = process.memoryUsage().heapUsed;
    const growthMb = (after - before) / 1024 / 1024;
    figures["soak: requests / heap growth"] = `${rounds * 4} in 5 s / ${growthMb.toFixed(1)} MB${gc ? "" : " (no forced GC)"}`;
    expect(growthMb).toBeLessThan(64);
  }, 30_000);

  /** The peak resident set of a process (Linux: VmHWM), in MB. */
  const peakRssMb = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN) / 1024;

  /**
   * Streams `total` bytes of a JSON string to the server (a 64 KB buffer written again and
   * again, so the test never holds the body), with a Content-Length or chunked, and resolves
   * with the status answered (0 when the server closed without answering) and the bytes it took.
   */
  function streamBody(url: string, path: string, total: number, chunked: boolean, headers: Record<string, string> = {}) {
    const { hostname, port } = new URL(url);
    const block = Buffer.alloc(65_536, "a");
    return new Promise<{ status: number; sentMb: number; text: string }>((resolve) => {
      let sent = 0;
      let status = 0;
      let text = "";
      let settled = false;
      const done = () => {
        if (settled) return;
        settled = true;
        resolve({ status, sentMb: sent / 1024 / 1024, text });
      };
      const req = httpRequest(
        {
          hostname,
          port: Number(port),
          method: "POST",
          path,
          agent: false,
          headers: {
            "Content-Type": "application/json",
            ...headers,
            ...(chunked ? { "Transfer-Encoding": "chunked" } : { "Content-Length": String(total) }),
          },
        },
        (res) => {
          status = res.statusCode!;
          res.setEncoding("utf8");
          res.on("data", (d: string) => (text += d));
          res.on("end", () => {
            req.destroy();
            done();
          });
        },
      );
      req.on("error", done);
      req.on("close", done);
      const pump = () => {
        while (!settled && sent < total) {
          const chunk =
            sent === 0
              ? Buffer.concat([Buffer.from('{"pad":"'), block.subarray(8)])
              : block.subarray(0, Math.min(block.length, total - sent));
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        if (!settled) req.end();
      };
      pump();
    });
  }

  it("refuses 400 MB bodies to Identity, the control API and a chunked API body, with the server's peak RSS under 300 MB", async () => {
    const { child, url } = await startCli(["--clock-speed", "0"]);
    try {
      const size = 400 * 1024 * 1024;
      const identity = await streamBody(url, "/v2.0/tokens", size, false);
      const admin = await streamBody(url, "/__admin/tenants", size, true);
      const api = await streamBody(url, "/v1.0/1234/backup-configuration", size, true, { "X-Auth-Token": "demo-token" });
      const peak = peakRssMb(child.pid!);
      for (const [what, answer] of [
        ["Identity", identity],
        ["control API", admin],
        ["API", api],
      ] as const) {
        expect(answer.status, what).toBe(400);
        expect(answer.text, what).toContain("larger than 1048576 bytes");
      }
      // The server still answers.
      expect((await fetch(`${url}/v1.0/1234/user/agents`, { headers })).status).toBe(200);
      figures["400 MB bodies (Identity with Content-Length, control API and API chunked): answers"] =
        `${identity.status} / ${admin.status} / ${api.status}`;
      figures["400 MB bodies: MB sent when the refusal arrived (Identity / control API / API)"] =
        `${identity.sentMb.toFixed(0)} / ${admin.sentMb.toFixed(0)} / ${api.sentMb.toFixed(0)}`;
      figures["400 MB bodies: server peak RSS"] = `${peak.toFixed(0)} MB (limit 300 MB)`;
      expect(peak).toBeLessThan(300);
    } finally {
      child.kill("SIGKILL");
    }
  }, 120_000);

  it("refuses to move the virtual clock past its bound, and every clock, reset and token call keeps working", async () => {
    const year = 366 * 86_400;
    const app = createServer({ seed: "empty", clock: { start: MAX_VIRTUAL_TIME - 3 * year * 1000, speed: 0 } });
    const json = { "Content-Type": "application/json" };
    const advance = () => app.request("/__admin/clock/advance", { method: "POST", headers: json, body: JSON.stringify({ seconds: year }) });
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 5; i++) {
      const res = await advance();
      const text = await res.text();
      expect(conformanceProblems("POST", "/__admin/clock/advance", res.status, res.headers.get("content-type"), text)).toEqual([]);
      if (res.status === 200) accepted++;
      else if (res.status === 400) refused++;
    }
    const after = [
      await app.request("/__admin/clock"),
      await app.request("/__admin/reset", { method: "POST" }),
      await app.request("/__admin/tenants", { method: "POST", headers: json, body: "{}" }),
    ];
    const tenant = (await after[2]!.clone().json()) as { username: string; apiKey: string };
    after.push(
      await app.request("/v2.0/tokens", {
        method: "POST",
        headers: json,
        body: JSON.stringify({ auth: { "RAX-KSKEY:apiKeyCredentials": { username: tenant.username, apiKey: tenant.apiKey } } }),
      }),
    );
    const statuses = after.map((r) => r.status);
    figures["clock bound: advances of a year from 3 years before 9999-12-31 accepted / refused (400)"] = `${accepted} / ${refused}`;
    figures["clock bound: clock, reset, tenant and token calls after"] = statuses.join(" / ");
    expect(accepted).toBe(3);
    expect(refused).toBe(2);
    expect(statuses).toEqual([200, 204, 201, 200]);
    expect(app.clock.now()).toBeLessThanOrEqual(MAX_VIRTUAL_TIME);
  });

  it("holds the header timeout (10 s) and the request timeout (30 s), answering 408 problems", async () => {
    const { child, url } = await startCli(["--clock-speed", "0"]);
    const { hostname, port } = new URL(url);
    const timed = (bytes: string) =>
      new Promise<{ seconds: number; answer: string }>((resolve, reject) => {
        const started = Date.now();
        const socket = connect(Number(port), hostname);
        let answer = "";
        socket.setEncoding("utf8");
        socket.on("data", (d: string) => (answer += d));
        socket.on("close", () => resolve({ seconds: (Date.now() - started) / 1000, answer }));
        socket.on("error", reject);
        socket.write(bytes);
      });
    try {
      const [headersCut, bodyCut] = await Promise.all([
        timed("GET /v1.0/1234/user/agents HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: demo"),
        timed(
          "POST /v1.0/1234/agent/enable HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: demo-token\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
        ),
      ]);
      figures["timeouts: headers cut after / request cut after"] =
        `${headersCut.seconds.toFixed(1)} s (10 s) / ${bodyCut.seconds.toFixed(1)} s (30 s)`;
      expect(headersCut.answer).toMatch(/^HTTP\/1\.1 408/);
      expect(headersCut.answer).toContain("application/problem+json");
      expect(headersCut.seconds).toBeGreaterThanOrEqual(9.5);
      expect(headersCut.seconds).toBeLessThan(15);
      expect(bodyCut.seconds).toBeGreaterThanOrEqual(29.5);
      expect(bodyCut.seconds).toBeLessThan(36);
    } finally {
      child.kill("SIGKILL");
    }
  }, 60_000);

  it("refuses a second server on a data file in use, and loses no acknowledged write", async () => {
    const file = join(dir, "shared.db");
    const first = await startCli(["--data", file, "--clock-speed", "0"]);
    const exited = new Promise((r) => first.child.on("exit", r));
    const acknowledged = new Map<number, string>();
    let stop = false;
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        try {
          const name = `shared-${w}-${i}`;
          const res = await fetch(`${first.url}/v1.0/1234/backup-configuration`, {
            method: "POST",
            headers,
            body: JSON.stringify(config(name)),
          });
          if (res.status === 200) acknowledged.set((await res.json()).BackupConfigurationId, name);
        } catch {
          return;
        }
      }
    });
    // Second servers started while the first writes: each must be refused.
    let refused = 0;
    const attempts = 3;
    for (let i = 0; i < attempts; i++) {
      const error = await startCli(["--data", file, "--clock-speed", "0"]).then(
        (second) => {
          second.child.kill("SIGKILL");
          return undefined;
        },
        (e: Error) => e.message,
      );
      expect(error).toMatch(
        new RegExp(
          `exited 1: cloud-backup-server: the data file .*shared\\.db is in use by another reference server \\(pid ${first.child.pid} on `,
        ),
      );
      if (error) refused++;
    }
    first.child.kill("SIGKILL");
    stop = true;
    await Promise.all(writers);
    await exited;
    // The lock died with the first server: a restart is not blocked, and every acknowledged write is there.
    const restarted = await startCli(["--data", file, "--clock-speed", "0"]);
    try {
      const list = (await (await fetch(`${restarted.url}/v1.0/1234/backup-configuration`, { headers })).json()) as Array<{
        BackupConfigurationId: number;
        BackupConfigurationName: string;
      }>;
      const byId = new Map(list.map((c) => [c.BackupConfigurationId, c.BackupConfigurationName]));
      const lost = [...acknowledged].filter(([id, name]) => byId.get(id) !== name);
      figures["two servers on one data file: second refused / acknowledged / lost"] =
        `${refused} of ${attempts} / ${acknowledged.size} / ${lost.length}`;
      expect(lost).toEqual([]);
      expect(acknowledged.size).toBeGreaterThan(20);
    } finally {
      restarted.child.kill("SIGKILL");
    }
  }, 120_000);

  it("loses or renumbers no acknowledged write when commits fail under load, across a restart", async () => {
    const file = join(dir, "failing.db");
    const { child, url } = await startCli([file], failingCli);
    const exited = new Promise((r) => child.on("exit", r));
    const acknowledged = new Map<number, string>();
    const refused = new Set<string>();
    const other: number[] = [];
    let stop = false;
    const writers = Array.from({ length: 16 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const name = `failing-${w}-${i}`;
        try {
          const res = await fetch(`${url}/v1.0/1234/backup-configuration`, { method: "POST", headers, body: JSON.stringify(config(name)) });
          const text = await res.text();
          expect(conformanceProblems("POST", "/v1.0/1234/backup-configuration", res.status, res.headers.get("content-type"), text)).toEqual(
            [],
          );
          if (res.status === 200) acknowledged.set(JSON.parse(text).BackupConfigurationId, name);
          else if (res.status === 503) refused.add(name);
          else other.push(res.status);
        } catch {
          return;
        }
      }
    });
    await new Promise((r) => setTimeout(r, 1_500));
    child.kill("SIGKILL");
    stop = true;
    await Promise.all(writers);
    await exited;
    const restarted = await startCli(["--data", file, "--clock-speed", "0"]);
    try {
      const list = (await (await fetch(`${restarted.url}/v1.0/1234/backup-configuration`, { headers })).json()) as Array<{
        BackupConfigurationId: number;
        BackupConfigurationName: string;
      }>;
      const byId = new Map(list.map((c) => [c.BackupConfigurationId, c.BackupConfigurationName]));
      const lost = [...acknowledged].filter(([id]) => !byId.has(id));
      const renumbered = [...acknowledged].filter(([id, name]) => byId.has(id) && byId.get(id) !== name);
      const phantom = list.filter((c) => refused.has(c.BackupConfigurationName));
      figures["commit failure under load (every 4th commit fails): sent / acknowledged / 503 / lost / renumbered / refused yet present"] =
        `${acknowledged.size + refused.size + other.length} / ${acknowledged.size} / ${refused.size} / ${lost.length} / ${renumbered.length} / ${phantom.length}`;
      expect(other).toEqual([]);
      expect(lost).toEqual([]);
      expect(renumbered).toEqual([]);
      expect(phantom).toEqual([]);
      expect(refused.size).toBeGreaterThan(5);
      expect(acknowledged.size).toBeGreaterThan(20);
    } finally {
      restarted.child.kill("SIGKILL");
    }
  }, 60_000);

  it("gives every acknowledged backup id the same backup across kill -9, with Prefer: latency writes on a running clock", async () => {
    const file = join(dir, "latency.db");
    // Four virtual hours per real second: an hourly configuration runs every 250 ms.
    const args = ["--data", file, "--clock-speed", "14400"];
    const { child, url } = await startCli(args);
    const exited = new Promise((r) => child.on("exit", r));
    const post = (path: string, body: unknown, extra: Record<string, string> = {}) =>
      fetch(`${url}/v1.0/1234${path}`, { method: "POST", headers: { ...headers, ...extra }, body: JSON.stringify(body) });
    const hourly = await post("/backup-configuration", {
      ...config("hourly"),
      Frequency: "Hourly",
      HourInterval: 1,
      StartTimeHour: null,
      StartTimeMinute: null,
      StartTimeAmPm: null,
    });
    expect(hourly.status).toBe(200);
    const manual: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await post("/backup-configuration", {
        ...config(`by-hand-${i}`),
        Frequency: "Manually",
        StartTimeHour: null,
        StartTimeMinute: null,
        StartTimeAmPm: null,
      });
      manual.push((await res.json()).BackupConfigurationId);
    }
    const acknowledged = new Map<number, number>();
    let stop = false;
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const writers = manual.map(async (configId) => {
      while (!stop) {
        try {
          const res = await post(
            "/backup/action-requested",
            { Action: "StartManual", Id: configId },
            { Prefer: `latency=${Math.floor(rand() * 300)}` },
          );
          if (res.status === 200) acknowledged.set(Number(await res.text()), configId);
          else if (res.status === 403) await post("/user/wakeupagents", undefined);
          else await res.text();
        } catch {
          return;
        }
      }
    });
    // Reads meanwhile play the scheduled runs that fell due.
    const readers = Array.from({ length: 2 }, async () => {
      while (!stop) {
        try {
          await (await fetch(`${url}/v1.0/1234/activity`, { headers })).text();
        } catch {
          return;
        }
      }
    });
    await new Promise((r) => setTimeout(r, 2_500));
    child.kill("SIGKILL");
    stop = true;
    await Promise.all([...writers, ...readers]);
    await exited;
    const restarted = await startCli(args);
    try {
      let diverged = 0;
      for (const [backupId, configId] of acknowledged) {
        const res = await fetch(`${restarted.url}/v1.0/1234/backup/${backupId}`, { headers });
        const backup = res.status === 200 ? ((await res.json()) as { BackupConfigurationId: number }) : undefined;
        if (backup?.BackupConfigurationId !== configId) diverged++;
      }
      figures["Prefer: latency writes across kill -9 (clock at 14400x): acknowledged backup starts / diverged after restart"] =
        `${acknowledged.size} / ${diverged}`;
      expect(diverged).toBe(0);
      expect(acknowledged.size).toBeGreaterThan(10);
    } finally {
      restarted.child.kill("SIGKILL");
    }
  }, 60_000);
});
