/**
 * The reliability suite: bounded in time, it measures and prints
 * - crash-restart cycles under write load (kill -9), and acknowledged writes lost (must be 0);
 * - concurrent writes to one tenant (every acknowledged create distinct and readable);
 * - generated requests over every operation with zero 5xx and zero non-conforming answers;
 * - heap growth over a soak of mixed requests.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { operations } from "@cloud-backup/spec";
import { createServer } from "@cloud-backup/server";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { conformanceProblems } from "@cloud-backup/spec/validate";

const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "cb-reliability-"));
const figures: Record<string, string | number> = {};
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  console.log(["", "Reliability figures", ...Object.entries(figures).map(([k, v]) => `  ${k}: ${v}`)].join("\n"));
});

const headers = { "X-Auth-Token": "demo-token", "Content-Type": "application/json" };

function startCli(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [cli, "--port", "0", "--quiet", ...args], { stdio: ["ignore", "pipe", "pipe"] });
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
      const list = (await (await fetch(`${url}/v1.0/1234/backup-configuration`, { headers })).json()) as Array<{ BackupConfigurationId: number }>;
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
            const res = await fetch(`${url}/v1.0/1234/backup-configuration`, { method: "POST", headers, body: JSON.stringify(config(`c${cycle}-${w}-${i}`)) });
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
          fetch(`${url}/v1.0/1234/backup-configuration`, { method: "POST", headers, body: JSON.stringify(config(`concurrent-${i}`)) }).then(async (r) => ({ status: r.status, body: await r.json() })),
        ),
      );
      const ids = results.filter((r) => r.status === 200).map((r) => r.body.BackupConfigurationId as number);
      expect(ids).toHaveLength(1000);
      expect(new Set(ids).size).toBe(1000);
      const list = (await (await fetch(`${url}/v1.0/1234/backup-configuration`, { headers })).json()) as Array<{ BackupConfigurationId: number; BackupConfigurationName: string }>;
      const byId = new Map(list.map((c) => [c.BackupConfigurationId, c.BackupConfigurationName]));
      expect(ids.every((id) => byId.has(id))).toBe(true);
      expect(new Set(ids.map((id) => byId.get(id))).size).toBe(1000);
      figures["concurrent creates acknowledged / distinct / readable"] = `${ids.length} / ${new Set(ids).size} / ${ids.filter((id) => byId.has(id)).length}`;
    } finally {
      child.kill("SIGKILL");
    }
  }, 60_000);

  it("answers generated requests to every operation with no 5xx and nothing outside the spec", async () => {
    const app = createServer({ clock: { start: Date.UTC(2026, 6, 1), speed: 0 } });
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const values = [1, 0, -1, 213564, 202743, 95874, 213563, 2147483648, "abc", "1e3", "", null, true, "true", [], {}, "C:\\x", "/etc", 1.5, "87c3b6e1-fb1a-41f9-91e5-313ae35a5a06"];
    const pathValues = ["1", "0", "-5", "abc", "213564", "202743", "99999999999", "1e3", "%20", "87c3b6e1-fb1a-41f9-91e5-313ae35a5a06"];
    const keys = ["MachineAgentId", "Enable", "Action", "Id", "BackupId", "RestoreId", "Frequency", "StartTimeHour", "EncryptedPasswordHex", "FilePath", "Filter", "ParentId", "FileItemType", "DestinationPath", "BackupMachineId", "DestinationMachineId", "OverwriteFiles", "LoggingLevelId", "UseServiceNet", "SourceMachineAgentId", "DestinationMachineAgentId"];
    let requests = 0;
    let fiveHundreds = 0;
    const nonConforming: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const op = pick(operations);
      const path = op.path.replace(/\{(\w+)\}/g, (_m, name) => (name === "tenant_id" ? (rand() < 0.9 ? "1234" : pick(["5678", "x y"])) : pick(pathValues)));
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
      const res = await app.request(path, { method: op.method, headers: { "X-Auth-Token": rand() < 0.95 ? "demo-token" : "bad", ...(body ? { "Content-Type": "application/json" } : {}) }, body });
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
      await app.request("/v1.0/1234/backup-configuration/" + (i % 5 === 0 ? "abc" : "180000"), { headers });
      await app.request("/v1.0/1234/agent/enable", { method: "POST", headers, body: JSON.stringify({ MachineAgentId: 213564, Enable: true }) });
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
});
