import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createServer } from "../src/node/index.js";
import { StoreError } from "../src/store.js";
import { T0, weeklyConfig } from "./helpers.js";

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "cb-data-"));
  dirs.push(dir);
  return join(dir, "world.db");
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const headers = { "X-Auth-Token": "demo-token", "Content-Type": "application/json" };

async function state(app: ReturnType<typeof createServer>) {
  const get = async (path: string) => (await app.request(path, { headers })).json();
  return {
    configs: await get("/v1.0/1234/backup-configuration"),
    activity: await get("/v1.0/1234/activity"),
    agents: await get("/v1.0/1234/user/agents"),
    clock: await (await app.request("/__admin/clock")).json(),
  };
}

async function work(app: ReturnType<typeof createServer>) {
  const created = await app.request("/v1.0/1234/backup-configuration", { method: "POST", headers, body: JSON.stringify(weeklyConfig(202743, { BackupConfigurationName: "kept" })) });
  expect(created.status).toBe(200);
  const config = await created.json();
  const started = await app.request("/v1.0/1234/backup/action-requested", { method: "POST", headers, body: JSON.stringify({ Action: "StartManual", Id: config.BackupConfigurationId }) });
  expect(started.status).toBe(200);
  await app.request("/__admin/clock/advance", { method: "POST", body: JSON.stringify({ seconds: 8 * 86400 }), headers: { "Content-Type": "application/json" } });
  await app.request("/__admin/tenants", { method: "POST", body: "{}", headers: { "Content-Type": "application/json" } });
  await app.request("/v1.0/1234/agent/encrypt", { method: "POST", headers, body: JSON.stringify({ MachineAgentId: 213563, EncryptedPasswordHex: "00" }) });
  return config.BackupConfigurationId as number;
}

describe("persistence with --data", () => {
  it("rebuilds the same world after a restart without a clean shutdown", async () => {
    const file = tempFile();
    const first = createServer({ data: file, clock: { start: T0, speed: 0 } });
    const id = await work(first);
    const before = await state(first);
    // No close(): the process "dies" here.
    const second = createServer({ data: file, clock: { start: T0, speed: 0 } });
    const after = await state(second);
    expect(after).toEqual(before);
    expect(after.configs.some((c: any) => c.BackupConfigurationId === id)).toBe(true);
    expect(after.clock.now).toBe(T0 + 8 * 86400 * 1000);
  });

  it("replays across snapshots and keeps going", async () => {
    const file = tempFile();
    const first = createServer({ data: file, clock: { start: T0, speed: 0 }, snapshotEvery: 3 });
    await work(first);
    await work(createServer({ data: file, clock: { start: T0, speed: 0 }, snapshotEvery: 3 })).catch(() => undefined);
    const a = createServer({ data: file, clock: { start: T0, speed: 0 }, snapshotEvery: 3 });
    const before = await state(a);
    a.close();
    const b = createServer({ data: file, clock: { start: T0, speed: 0 } });
    expect(await state(b)).toEqual(before);
  });

  it("does not log rejected writes, so they stay rejected after a restart", async () => {
    const file = tempFile();
    const first = createServer({ data: file, clock: { start: T0, speed: 0 } });
    const bad = await first.request("/v1.0/1234/backup-configuration", { method: "POST", headers, body: JSON.stringify(weeklyConfig(202743, { VersionRetention: 45 })) });
    expect(bad.status).toBe(400);
    const rows = new Database(file, { readonly: true }).prepare("SELECT COUNT(*) AS n FROM commands").get() as { n: number };
    expect(rows.n).toBe(0);
  });

  it("refuses a corrupt file with a clear message", () => {
    const file = tempFile();
    writeFileSync(file, "this is not a database, just some bytes".repeat(200));
    expect(() => createServer({ data: file })).toThrow(StoreError);
    expect(() => createServer({ data: file })).toThrow(/not a usable reference-server data file/);
  });

  it("refuses a file from a newer version instead of resetting it", () => {
    const file = tempFile();
    createServer({ data: file }).close();
    const db = new Database(file);
    db.pragma("user_version = 99");
    db.close();
    expect(() => createServer({ data: file })).toThrow(/newer reference server \(schema 99/);
  });
});
