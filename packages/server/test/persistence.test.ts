import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createServer, type ServerOptions } from "../src/node/index.js";
import { Store, StoreError } from "../src/store.js";
import { manualConfig, msOf, T0, testServer, weeklyConfig } from "./helpers.js";

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "cb-data-"));
  dirs.push(dir);
  return join(dir, "world.db");
}

/** Every store opened by the test, in order, so a test can end a server the way `kill -9` would. */
const opened: Store[] = [];
beforeEach(() => {
  Store.hooks = { opened: (store) => opened.push(store) };
});
afterEach(() => {
  Store.hooks = {};
  for (const store of opened.splice(0)) store.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Ends the newest server as a crash would: the file is released, and no final snapshot is written. */
function crash(): void {
  opened.pop()!.close();
}

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
  const created = await app.request("/v1.0/1234/backup-configuration", {
    method: "POST",
    headers,
    body: JSON.stringify(weeklyConfig(202743, { BackupConfigurationName: "kept" })),
  });
  expect(created.status).toBe(200);
  const config = await created.json();
  const started = await app.request("/v1.0/1234/backup/action-requested", {
    method: "POST",
    headers,
    body: JSON.stringify({ Action: "StartManual", Id: config.BackupConfigurationId }),
  });
  expect(started.status).toBe(200);
  await app.request("/__admin/clock/advance", {
    method: "POST",
    body: JSON.stringify({ seconds: 8 * 86400 }),
    headers: { "Content-Type": "application/json" },
  });
  await app.request("/__admin/tenants", { method: "POST", body: "{}", headers: { "Content-Type": "application/json" } });
  await app.request("/v1.0/1234/agent/encrypt", {
    method: "POST",
    headers,
    body: JSON.stringify({ MachineAgentId: 213563, EncryptedPasswordHex: "00" }),
  });
  return config.BackupConfigurationId as number;
}

describe("persistence with --data", () => {
  it("rebuilds the same world after a restart without a clean shutdown", async () => {
    const file = tempFile();
    const first = createServer({ data: file, clock: { start: T0, speed: 0 } });
    const id = await work(first);
    const before = await state(first);
    crash();
    const second = createServer({ data: file, clock: { start: T0, speed: 0 } });
    const after = await state(second);
    expect(after).toEqual(before);
    expect(after.configs.some((c: any) => c.BackupConfigurationId === id)).toBe(true);
    expect(after.clock.now).toBe(T0 + 8 * 86400 * 1000);
  });

  it("replays across snapshots and keeps going", async () => {
    const file = tempFile();
    const options: ServerOptions = { data: file, clock: { start: T0, speed: 0 }, snapshotEvery: 3 };
    await work(createServer(options));
    crash();
    await work(createServer(options)).catch(() => undefined);
    crash();
    const a = createServer(options);
    const before = await state(a);
    a.close();
    const b = createServer({ data: file, clock: { start: T0, speed: 0 } });
    expect(await state(b)).toEqual(before);
  });

  it("does not log rejected writes, so they stay rejected after a restart", async () => {
    const file = tempFile();
    const first = createServer({ data: file, clock: { start: T0, speed: 0 } });
    const bad = await first.request("/v1.0/1234/backup-configuration", {
      method: "POST",
      headers,
      body: JSON.stringify(weeklyConfig(202743, { VersionRetention: 45 })),
    });
    expect(bad.status).toBe(400);
    crash();
    const db = new Database(file, { readonly: true });
    const rows = db.prepare("SELECT COUNT(*) AS n FROM commands").get() as { n: number };
    db.close();
    expect(rows.n).toBe(0);
  });

  it("refuses a corrupt file with a clear message", () => {
    const file = tempFile();
    writeFileSync(file, "this is not a database, just some bytes".repeat(200));
    expect(() => createServer({ data: file })).toThrow(StoreError);
    expect(() => createServer({ data: file })).toThrow(
      `the data file ${file} is not a SQLite database (file is not a database). Give a new file name`,
    );
  });

  it("refuses a file from a newer version instead of resetting it", () => {
    const file = tempFile();
    createServer({ data: file }).close();
    const db = new Database(file);
    db.pragma("user_version = 99");
    db.close();
    expect(() => createServer({ data: file })).toThrow(/world\.db was written by a newer reference server \(schema 99/);
  });

  it("opens a file written before the schema marker and the clock table (schema 1)", async () => {
    const file = tempFile();
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.exec(`CREATE TABLE snapshots (seq INTEGER PRIMARY KEY, now INTEGER NOT NULL, real INTEGER NOT NULL, world TEXT NOT NULL);
             CREATE TABLE commands (seq INTEGER PRIMARY KEY AUTOINCREMENT, now INTEGER NOT NULL, real INTEGER NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL);`);
    db.pragma("user_version = 1");
    db.close();
    const app = createServer({ data: file, clock: { start: T0, speed: 0 } });
    expect((await app.request("/v1.0/1234/user/agents", { headers })).status).toBe(200);
    app.close();
    const after = new Database(file, { readonly: true });
    expect(after.pragma("user_version", { simple: true })).toBe(2);
    expect(after.pragma("application_id", { simple: true })).toBe(0x43425253);
    after.close();
  });
});

describe("one server per data file", () => {
  it("refuses a second server on the same file, naming the file and the holder", async () => {
    const file = tempFile();
    const first = createServer({ data: file, clock: { start: T0, speed: 0 } });
    expect(() => createServer({ data: file })).toThrow(
      `the data file ${file} is in use by another reference server (pid ${process.pid} on ${hostname()}, since `,
    );
    // The refused server changed nothing: the first one still answers and writes.
    const created = await first.request("/v1.0/1234/backup-configuration", {
      method: "POST",
      headers,
      body: JSON.stringify(manualConfig(202743)),
    });
    expect(created.status).toBe(200);
    first.close();
    const second = createServer({ data: file, clock: { start: T0, speed: 0 } });
    const list = await (await second.request("/v1.0/1234/backup-configuration", { headers })).json();
    expect(list.map((c: any) => c.BackupConfigurationId)).toContain((await created.json()).BackupConfigurationId);
  });

  it("keeps other SQLite clients out while it runs, and lets them in after", () => {
    const file = tempFile();
    const app = createServer({ data: file });
    expect(() => new Database(file, { readonly: true, timeout: 0 }).prepare("SELECT COUNT(*) FROM commands").get()).toThrow(
      /database is locked/,
    );
    app.close();
    const db = new Database(file, { readonly: true });
    expect(db.prepare("SELECT COUNT(*) AS n FROM snapshots").get()).toEqual({ n: 1 });
    db.close();
  });

  it("is not blocked by the note of a holder that died", async () => {
    const file = tempFile();
    createServer({ data: file }).close();
    // What a server killed with -9 leaves: a note naming a process that no longer runs.
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: 2 ** 22 + 17, host: hostname(), since: "2026-01-01T00:00:00.000Z" }));
    const app = createServer({ data: file });
    expect((await app.request("/v1.0/1234/user/agents", { headers })).status).toBe(200);
    expect(JSON.parse(readFileSync(`${file}.lock`, "utf8")).pid).toBe(process.pid);
    app.close();
  });
});

describe("a commit that fails", () => {
  let failing = false;
  const failCommits = () => {
    Store.hooks.fail = (step) => {
      if (step === "commit" && failing) throw new Database.SqliteError("disk I/O error", "SQLITE_IOERR");
    };
  };

  it("answers 503 and leaves the world exactly as before, ids included", async () => {
    const file = tempFile();
    failCommits();
    const { app, call } = testServer({ data: file });
    const a = await call("POST", "/v1.0/1234/backup-configuration", { body: manualConfig(202743, { BackupConfigurationName: "a" }) });
    expect(a.status).toBe(200);
    const before = app.world.toJSON();
    failing = true;
    const b = await call("POST", "/v1.0/1234/backup-configuration", { body: manualConfig(202743, { BackupConfigurationName: "b" }) });
    failing = false;
    expect(b.status).toBe(503);
    expect(b.headers.get("retry-after")).toBe("1");
    expect(b.body.detail).toMatch(/could not be saved to the data file \(disk I\/O error\), so it was not made/);
    expect(app.world.toJSON()).toEqual(before);
    const c = await call("POST", "/v1.0/1234/backup-configuration", { body: manualConfig(202743, { BackupConfigurationName: "c" }) });
    expect(c.body.BackupConfigurationId).toBe(a.body.BackupConfigurationId + 1);
    const names = (await call("GET", "/v1.0/1234/backup-configuration")).body.map((x: any) => x.BackupConfigurationName);
    expect(names).toContain("c");
    expect(names).not.toContain("b");
    crash();
    const again = testServer({ data: file });
    const after = (await again.call("GET", `/v1.0/1234/backup-configuration/${c.body.BackupConfigurationId}`)).body;
    expect(after.BackupConfigurationName).toBe("c");
  });

  it("undoes every write of a group commit that fails, and answers each of them 503", async () => {
    const file = tempFile();
    let armed = false;
    let batches = 0;
    Store.hooks.fail = (step) => {
      if (step !== "commit" || !armed) return;
      batches++;
      armed = false;
      throw new Database.SqliteError("database or disk is full", "SQLITE_FULL");
    };
    const { app, call } = testServer({ data: file });
    const before = app.world.toJSON();
    armed = true;
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call("POST", "/v1.0/1234/backup-configuration", { body: manualConfig(202743, { BackupConfigurationName: `batch-${i}` }) }),
      ),
    );
    // The ten writes of this turn shared one transaction: it failed, so all ten are undone.
    expect(batches).toBe(1);
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(503));
    expect(app.world.toJSON()).toEqual(before);
    const next = await call("POST", "/v1.0/1234/backup-configuration", {
      body: manualConfig(202743, { BackupConfigurationName: "after" }),
    });
    expect(next.body.BackupConfigurationId).toBe(180003);
  });

  it("undoes every write of a failed group commit, under load, and replays to the acknowledged answers", async () => {
    const file = tempFile();
    let commits = 0;
    Store.hooks.fail = (step) => {
      // Every third commit fails, after its rows are written (SQLite rolls them back).
      if (step === "commit" && ++commits % 3 === 0) throw new Database.SqliteError("database or disk is full", "SQLITE_FULL");
    };
    const { app, call } = testServer({ data: file });
    const acknowledged = new Map<number, string>();
    const refused = new Set<string>();
    for (let wave = 0; wave < 12; wave++) {
      const answers = await Promise.all(
        Array.from({ length: 1 + (wave % 4) * 5 }, (_, i) => {
          const name = `w${wave}-${i}`;
          return call("POST", "/v1.0/1234/backup-configuration", { body: manualConfig(202743, { BackupConfigurationName: name }) }).then(
            (r) => ({ name, r }),
          );
        }),
      );
      for (const { name, r } of answers) {
        expect([200, 503]).toContain(r.status);
        if (r.status === 200) acknowledged.set(r.body.BackupConfigurationId, name);
        else refused.add(name);
      }
    }
    expect(refused.size).toBeGreaterThan(5);
    expect(acknowledged.size).toBeGreaterThan(20);
    const live = app.world.toJSON();
    const byId = async (server: ReturnType<typeof testServer>) =>
      new Map(
        (await server.call("GET", "/v1.0/1234/backup-configuration")).body.map((x: any) => [
          x.BackupConfigurationId,
          x.BackupConfigurationName,
        ]),
      );
    const liveIds = await byId({ app, call } as ReturnType<typeof testServer>);
    for (const [id, name] of acknowledged) expect(liveIds.get(id)).toBe(name);
    expect([...liveIds.values()].filter((n) => refused.has(n as string))).toEqual([]);
    crash();
    Store.hooks.fail = undefined;
    const restarted = testServer({ data: file });
    expect(restarted.app.world.toJSON()).toEqual(live);
    const afterIds = await byId(restarted);
    for (const [id, name] of acknowledged) expect(afterIds.get(id)).toBe(name);
    expect(afterIds.size).toBe(liveIds.size);
  });

  it("answers 503 when the disk is really full, and keeps working once it has room", async () => {
    const file = tempFile();
    const { call } = testServer({ data: file });
    const db = (opened.at(-1) as unknown as { db: Database.Database }).db;
    db.pragma(`max_page_count = ${db.pragma("page_count", { simple: true })}`);
    const big = manualConfig(202743, {
      BackupConfigurationName: "big",
      Inclusions: Array.from({ length: 200 }, (_, i) => ({ FilePath: `/var/www/html/f${i}`, FileItemType: "Folder" })),
    });
    const full = await call("POST", "/v1.0/1234/backup-configuration", { body: big });
    expect(full.status).toBe(503);
    expect(full.body.detail).toContain("database or disk is full");
    db.pragma("max_page_count = 1073741823");
    const ok = await call("POST", "/v1.0/1234/backup-configuration", { body: big });
    expect(ok.status).toBe(200);
    expect(ok.body.BackupConfigurationId).toBe(180003);
  });

  it("undoes control-API and Identity writes too", async () => {
    const file = tempFile();
    failCommits();
    const { app, call } = testServer({ data: file });
    const before = app.world.toJSON();
    failing = true;
    expect((await call("POST", "/__admin/reset", { token: null })).status).toBe(503);
    expect((await call("POST", "/__admin/tenants", { token: null, body: { tenantId: "t-undone" } })).status).toBe(503);
    expect((await call("POST", "/__admin/clock/advance", { token: null, body: { seconds: 3600 } })).status).toBe(503);
    const token = await call("POST", "/v2.0/tokens", {
      token: null,
      body: { auth: { "RAX-KSKEY:apiKeyCredentials": { username: "demo", apiKey: "demo-api-key" } } },
    });
    failing = false;
    expect(token.status).toBe(503);
    expect(token.body.serviceUnavailable.code).toBe(503);
    expect(app.world.toJSON()).toEqual(before);
  });

  it("refuses every request, saying why, when the world cannot be read back", async () => {
    const file = tempFile();
    let broken = false;
    Store.hooks.fail = (step) => {
      if (broken && (step === "commit" || step === "read")) throw new Database.SqliteError("disk I/O error", "SQLITE_IOERR");
    };
    const logs: string[] = [];
    const { call } = testServer({ data: file, log: (line) => logs.push(line) });
    const kept = await call("POST", "/v1.0/1234/backup-configuration", { body: manualConfig(202743, { BackupConfigurationName: "kept" }) });
    broken = true;
    expect((await call("POST", "/v1.0/1234/backup-configuration", { body: manualConfig(202743) })).status).toBe(503);
    const read = await call("GET", "/v1.0/1234/user/agents");
    expect(read.status).toBe(503);
    expect(read.body.detail).toMatch(/The data file failed .* accepts no more requests/);
    expect((await call("GET", "/__admin/clock", { token: null })).status).toBe(200);
    expect(logs.join("\n")).toMatch(/refuses every request until it is restarted/);
    broken = false;
    crash();
    const again = testServer({ data: file });
    expect((await again.call("GET", `/v1.0/1234/backup-configuration/${kept.body.BackupConfigurationId}`)).status).toBe(200);
  });

  it("keeps the writes whose snapshot failed after their commit", async () => {
    const file = tempFile();
    const { call } = testServer({ data: file, snapshotEvery: 1 });
    Store.hooks.fail = (step) => {
      if (step === "snapshot") throw new Database.SqliteError("disk I/O error", "SQLITE_IOERR");
    };
    const created = await call("POST", "/v1.0/1234/backup-configuration", {
      body: manualConfig(202743, { BackupConfigurationName: "kept" }),
    });
    expect(created.status).toBe(200);
    Store.hooks.fail = undefined;
    crash();
    const again = testServer({ data: file });
    expect(
      (await again.call("GET", `/v1.0/1234/backup-configuration/${created.body.BackupConfigurationId}`)).body.BackupConfigurationName,
    ).toBe("kept");
  });
});

describe("virtual time of writes", () => {
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it("is the time the write is applied at, after its Prefer: latency", async () => {
    const { call, advance } = testServer({ data: tempFile() });
    const pending = call("POST", "/v1.0/1234/backup/action-requested", {
      body: { Action: "StartManual", Id: 180000 },
      headers: { Prefer: "latency=150" },
    });
    await wait(20);
    await advance(600);
    const started = await pending;
    expect(started.status).toBe(200);
    const report = await call("GET", `/v1.0/1234/backup/report/${started.body}`);
    expect(msOf(report.body.StartTime)).toBe(T0 + 600_000);
  });

  it("gives an acknowledged backup id the same backup after a restart, though the clock ran during the write", async () => {
    const file = tempFile();
    const { app, call } = testServer({ data: file });
    const hourly = await call("POST", "/v1.0/1234/backup-configuration", {
      body: weeklyConfig(202743, {
        BackupConfigurationName: "hourly",
        Frequency: "Hourly",
        HourInterval: 1,
        StartTimeHour: null,
        StartTimeMinute: null,
        StartTimeAmPm: null,
        DayOfWeekId: null,
      }),
    });
    expect(hourly.status).toBe(200);
    const manual = await call("POST", "/v1.0/1234/backup-configuration", {
      body: manualConfig(202743, { BackupConfigurationName: "by hand" }),
    });
    const pending = call("POST", "/v1.0/1234/backup/action-requested", {
      body: { Action: "StartManual", Id: manual.body.BackupConfigurationId },
      headers: { Prefer: "latency=150" },
    });
    await wait(20);
    // The clock runs on (as it does at any speed above 0), and a read meanwhile starts the hourly run.
    app.clock.advance(61 * 60_000);
    expect((await call("GET", "/v1.0/1234/activity")).status).toBe(200);
    const started = await pending;
    expect(started.status).toBe(200);
    const live = (await call("GET", `/v1.0/1234/backup/${started.body}`)).body;
    expect(live.BackupConfigurationId).toBe(manual.body.BackupConfigurationId);
    crash();
    const again = testServer({ data: file });
    const after = (await again.call("GET", `/v1.0/1234/backup/${started.body}`)).body;
    expect(after.BackupConfigurationId).toBe(manual.body.BackupConfigurationId);
    expect(after.BackupConfigurationName).toBe("by hand");
  });

  it("never goes back across a restart", async () => {
    const file = tempFile();
    const { app, call } = testServer({ data: file });
    // Time passes without any write (a running clock does this).
    app.clock.advance(5 * 3_600_000);
    const shown = (await call("GET", "/__admin/clock", { token: null })).body.now;
    expect(shown).toBe(T0 + 5 * 3_600_000);
    crash();
    const again = testServer({ data: file });
    expect((await again.call("GET", "/__admin/clock", { token: null })).body.now).toBeGreaterThanOrEqual(shown);
  });
});

describe("Identity tokens", () => {
  it("survive a crash like any other acknowledged write", async () => {
    const file = tempFile();
    const { call } = testServer({ data: file });
    const auth = await call("POST", "/v2.0/tokens", {
      token: null,
      body: { auth: { "RAX-KSKEY:apiKeyCredentials": { username: "demo", apiKey: "demo-api-key" } } },
    });
    expect(auth.status).toBe(200);
    crash();
    const again = testServer({ data: file });
    expect((await again.call("GET", "/v1.0/1234/user/agents", { token: auth.body.access.token.id })).status).toBe(200);
  });
});

describe("a data file that cannot be used", () => {
  const digest = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

  it("refuses a SQLite file of another program without changing it", () => {
    const file = tempFile();
    const db = new Database(file);
    db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('keep me');");
    db.close();
    const before = digest(file);
    const files = readdirSync(join(file, ".."));
    expect(() => createServer({ data: file })).toThrow(
      `the data file ${file} is a SQLite database of another program (tables notes; application_id 0, user_version 0). The server does not change it`,
    );
    expect(digest(file)).toBe(before);
    expect(readdirSync(join(file, ".."))).toEqual(files);
  });

  it("refuses another program's file that happens to use user_version", () => {
    const file = tempFile();
    const db = new Database(file);
    db.exec("CREATE TABLE commands (x); CREATE TABLE snapshots (y); CREATE TABLE other (z);");
    db.pragma("user_version = 1");
    db.close();
    const before = digest(file);
    expect(() => createServer({ data: file })).toThrow(/is a SQLite database of another program \(tables commands, other, snapshots/);
    expect(digest(file)).toBe(before);
  });

  it("refuses a file that has tables of the same names but no marker, without changing it", () => {
    const file = tempFile();
    const db = new Database(file);
    db.exec("CREATE TABLE commands (id INTEGER); CREATE TABLE snapshots (id INTEGER);");
    db.close();
    const before = digest(file);
    expect(() => createServer({ data: file })).toThrow(
      /world\.db is a SQLite database of another program \(tables commands, snapshots; application_id 0, user_version 0\)/,
    );
    expect(digest(file)).toBe(before);
  });

  it("answers 503, changing nothing, when the clock cannot be saved", async () => {
    const file = tempFile();
    const { app, call } = testServer({ data: file });
    expect((await call("GET", "/v1.0/1234/user/agents")).status).toBe(200);
    Store.hooks.fail = (step) => {
      if (step === "clock") throw new Database.SqliteError("disk I/O error", "SQLITE_IOERR");
    };
    // The clock moves past the last mark, so the next request must write one first.
    app.clock.advance(60_000);
    const before = app.world.toJSON();
    const api = await call("POST", "/v1.0/1234/backup-configuration", { body: manualConfig(202743) });
    expect(api.status).toBe(503);
    expect(api.body.detail).toMatch(/The clock could not be saved to the data file \(disk I\/O error\)/);
    const identity = await call("POST", "/v2.0/tokens", {
      token: null,
      body: { auth: { "RAX-KSKEY:apiKeyCredentials": { username: "demo", apiKey: "demo-api-key" } } },
    });
    expect(identity.status).toBe(503);
    expect(identity.body.serviceUnavailable.code).toBe(503);
    expect(app.world.toJSON()).toEqual(before);
    Store.hooks.fail = undefined;
    expect((await call("POST", "/v1.0/1234/backup-configuration", { body: manualConfig(202743) })).status).toBe(200);
  });

  it("names the file and the cause when its contents cannot be replayed", () => {
    const file = tempFile();
    createServer({ data: file }).close();
    const db = new Database(file);
    db.prepare("UPDATE snapshots SET world = ?").run(JSON.stringify({ version: 1 }));
    db.close();
    expect(() => createServer({ data: file })).toThrow(
      new RegExp(
        `^the data file ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} cannot be replayed \\(.+\\)\\. It was changed by another program`,
      ),
    );
    // The refusal released the file.
    expect(() => new Database(file).close()).not.toThrow();
  });

  it("says the directory is missing, with a hint", () => {
    expect(() => createServer({ data: "/no/such/dir/x.db" })).toThrow(
      "cannot create the data file /no/such/dir/x.db: the directory /no/such/dir does not exist. Create it first (mkdir -p /no/such/dir) or give a file in an existing directory",
    );
  });

  it("says a directory is not a file", () => {
    const file = tempFile();
    const dir = join(file, "..");
    expect(() => createServer({ data: dir })).toThrow(`the data file ${dir} is a directory. Give the path of a file`);
  });
});
