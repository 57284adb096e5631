/**
 * Seeds: the example seed file loads and reads back; bad seeds are refused with the JSON
 * pointer of each problem; `GET /__admin/world` exports a seed that, loaded at the same
 * virtual time, answers every operation as the original does, now and after more writes and
 * more time; `POST /__admin/reset` lays the seed out again without moving the clock back.
 */
import { readFileSync } from "node:fs";
import { operations } from "@cloud-backup/spec";
import { describe, expect, it } from "vitest";
import { createServer, encryptPassphrase, SeedError, seedProblems, type WorldSeed } from "../src/index.js";
import { fillPath, T0, testServer, weeklyConfig } from "./helpers.js";

const example = JSON.parse(
  readFileSync(new URL("../../../apps/reference-server/examples/seed.json", import.meta.url), "utf8"),
) as WorldSeed;
const schema = JSON.parse(readFileSync(new URL("../seed.schema.json", import.meta.url), "utf8"));
const DAY = 86_400;

describe("the example seed file", () => {
  it("is valid against the schema", () => {
    expect(seedProblems(example)).toEqual([]);
    expect(schema.$defs.SeedBackup).toBeDefined();
  });

  it("loads: agents, configurations, a completed backup with its report, a failed one, a running one, restores", async () => {
    const { call } = testServer({ seed: example });
    const c = (method: string, path: string, init: Parameters<typeof call>[2] = {}) =>
      call(method, `/v1.0/acme${path}`, { token: "acme-admin-token", ...init });
    const agents = await c("GET", "/user/agents");
    expect(agents.body.map((a: any) => a.MachineAgentId)).toEqual([500001, 500002, 500003, 500004]);
    expect((await c("GET", "/agent/500002")).body).toMatchObject({
      MachineName: "sql1",
      IsEncrypted: true,
      Datacenter: "ORD",
      Status: "Online",
    });
    expect((await c("GET", "/agent/500003")).body.Status).toBe("Offline");
    expect((await c("GET", "/agent/500004")).body.IsDisabled).toBe(true);

    const nightly = await c("GET", "/backup-configuration/600001");
    expect(nightly.body).toMatchObject({
      BackupConfigurationName: "Nightly web",
      Frequency: "Daily",
      TimeZoneId: "Central Standard Time",
      NotifyRecipients: "ops@acme.example",
    });
    // Created a week before the start: its nightly runs have happened since.
    const nightlyRuns = await c("GET", "/backup/completed/600001");
    expect(nightlyRuns.body.length).toBeGreaterThanOrEqual(6);

    expect((await c("GET", "/backup/700001")).body.CurrentState).toBe("CompletedWithErrors");
    const report = await c("GET", "/backup/report/700001");
    expect(Number(report.body.FilesSearched)).toBeGreaterThan(0);
    expect((await c("GET", "/backup/700002")).body.CurrentState).toBe("Failed");
    expect((await c("GET", "/backup/700003")).body.CurrentState).toBe("Queued");

    const restore = await c("GET", "/restore/800001");
    expect(restore.body).toMatchObject({ BackupId: 700001, DestinationPath: "C:\\Restored" });
    expect([3, 8]).toContain(restore.body.RestoreStateId);
    expect((await c("GET", "/restore/800002")).body.RestoreStateId).toBe(0);
    expect((await c("GET", "/restore/files/800002")).body).toHaveLength(1);

    // Activity is derived from them: the backups and the restore are listed.
    const activity = (await c("GET", "/activity")).body.map((a: any) => `${a.Type} ${a.ID}`);
    expect(activity).toEqual(expect.arrayContaining(["Backup 700001", "Backup 700002", "Restore 800001"]));

    // The weekly archive of the disabled agent missed its runs.
    const archive = (await c("GET", "/system/activity/500004")).body;
    expect(archive.some((a: any) => a.CurrentState === "Missed")).toBe(true);

    expect((await call("GET", "/v1.0/acme/user/agents", { token: "acme-expired-token" })).status).toBe(401);
    expect(
      (
        await call("POST", "/v2.0/tokens", {
          token: null,
          body: { auth: { "RAX-KSKEY:apiKeyCredentials": { username: "acme", apiKey: "acme-api-key" } } },
        })
      ).status,
    ).toBe(200);
  });
});

describe("bad seeds", () => {
  const base = (): any => structuredClone(example);
  it.each([
    ["a wrong type", (s: any) => (s.tenants[0].agents[1].name = 42), "/tenants/0/agents/1/name", "must be string"],
    ["an unknown field", (s: any) => (s.tenants[0].agent = []), "/tenants/0/agent", "is not a field of this object"],
    ["a missing field", (s: any) => delete s.tenants[0].configurations[0].schedule, "/tenants/0/configurations/0/schedule", "is required"],
    [
      "a value out of the enum",
      (s: any) => (s.tenants[0].agents[0].datacenter = "MARS"),
      "/tenants/0/agents/0/datacenter",
      "must be one of",
    ],
    ["no tenants", (s: any) => delete s.tenants, "/tenants", "is required"],
    [
      "an unknown agent",
      (s: any) => (s.tenants[0].configurations[1].agentId = 999),
      "/tenants/0/configurations/1/agentId",
      "is not the id of an agent",
    ],
    [
      "an unknown time zone",
      (s: any) => (s.tenants[0].configurations[0].schedule.TimeZoneId = "Mars Time"),
      "/tenants/0/configurations/0/schedule/TimeZoneId",
      "time-zone",
    ],
    [
      "an unknown configuration",
      (s: any) => (s.tenants[0].backups[0].configurationId = 1),
      "/tenants/0/backups/0/configurationId",
      "is not the id of a configuration",
    ],
    [
      "encryption without a passphrase",
      (s: any) => delete s.tenants[0].agents[1].passphrase,
      "/tenants/0/agents/1/passphrase",
      "is required when encrypted",
    ],
    [
      "a restore of an unknown backup",
      (s: any) => (s.tenants[0].restores[0].backupId = 12345),
      "/tenants/0/restores/0/backupId",
      "is not a backup",
    ],
  ])("refuses %s, naming its JSON pointer", (_name, edit, pointer, message) => {
    const seed = base();
    edit(seed);
    let error: unknown;
    try {
      createServer({ seed, clock: { start: T0, speed: 0 } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SeedError);
    const problem = (error as SeedError).problems.find((p) => p.pointer === pointer);
    expect(problem, JSON.stringify((error as SeedError).problems)).toBeDefined();
    expect(problem!.message).toContain(message);
    expect((error as SeedError).message).toContain(pointer);
  });
});

/** Status and body of an answer, without the per-request id. */
async function answer(app: ReturnType<typeof createServer>, method: string, path: string, body?: unknown, token = "demo-token") {
  const headers: Record<string, string> = { "X-Auth-Token": token };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const value = text && (res.headers.get("content-type") ?? "").includes("json") ? JSON.parse(text) : text;
  if (value && typeof value === "object" && "requestId" in value) delete (value as { requestId?: string }).requestId;
  return { status: res.status, body: value };
}

/** A GET of every GET operation for every object of tenant 1234 (and the tenant-less form). */
function readPaths(app: ReturnType<typeof createServer>): string[] {
  const tenant = app.world.tenants.get("1234")!;
  const values = {
    tenant_id: ["1234"],
    machineAgentId: [...tenant.agents.keys()].map(String),
    agentId: [...tenant.agents.keys()].map(String),
    hostServerId: [...tenant.agents.values()].map((a) => a.hostServerId),
    backupConfigurationId: [...tenant.configs.keys()].map(String),
    backupId: [...tenant.backups.keys()].slice(-12).map(String),
    restoreId: [...tenant.restores.keys()].map(String),
  } as Record<string, string[]>;
  const paths: string[] = [];
  for (const op of operations.filter((o) => o.method === "GET")) {
    const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).filter((n) => n !== "tenant_id");
    if (!names.length) paths.push(fillPath(op.path));
    else for (const value of values[names[0]!]!) paths.push(op.path.replace("{tenant_id}", "1234").replace(`{${names[0]}}`, value));
  }
  return paths;
}

async function expectSameReads(a: ReturnType<typeof createServer>, b: ReturnType<typeof createServer>): Promise<number> {
  const paths = readPaths(a);
  expect(readPaths(b)).toEqual(paths);
  for (const path of paths) expect(await answer(b, "GET", path), path).toEqual(await answer(a, "GET", path));
  return paths.length;
}

describe("export and load", () => {
  it("GET /__admin/world answers a seed valid against the schema (checked against admin.yaml by call)", async () => {
    const { call } = testServer();
    const world = await call("GET", "/__admin/world", { token: null });
    expect(world.status).toBe(200);
    expect(seedProblems(world.body)).toEqual([]);
    expect(world.body.tenants[0].configurations).toHaveLength(3);
  });

  it("round-trips: the loaded export answers every GET operation, the same writes and later times as the original", async () => {
    const a = createServer({ clock: { start: T0, speed: 0 } });
    const admin = (app: typeof a, method: string, path: string, body?: unknown) =>
      app.request(path, {
        method,
        headers: body === undefined ? {} : { "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    // Some history first: a running backup, a restore being prepared, a second tenant.
    const started = await answer(a, "POST", "/v1.0/1234/backup/action-requested", { Action: "StartManual", Id: 180002 });
    expect(started.status).toBe(200);
    await admin(a, "POST", "/__admin/clock/advance", { seconds: 5 });
    expect((await admin(a, "POST", "/__admin/tenants", { tenantId: "second", agents: 1 })).status).toBe(201);
    const completed = (await answer(a, "GET", "/v1.0/1234/backup/completed/180002")).body;
    const restore = await answer(a, "PUT", "/v1.0/1234/restore", {
      BackupId: completed[0].BackupId,
      BackupMachineId: 213564,
      DestinationMachineId: 213564,
      DestinationPath: "C:\\Restore",
      OverwriteFiles: false,
    });
    expect(restore.status).toBe(200);

    const exported = (await (await admin(a, "GET", "/__admin/world")).json()) as WorldSeed;
    expect(seedProblems(exported)).toEqual([]);
    const b = createServer({ seed: exported, clock: { start: a.clock.now(), speed: 0 } });
    expect(b.clock.now()).toBe(a.clock.now());
    // The export of the loaded world is the same export.
    expect(await (await admin(b, "GET", "/__admin/world")).json()).toEqual(exported);
    let reads = await expectSameReads(a, b);

    // The same writes on both, every write operation of the API, answer the same.
    const restoreId = restore.body.RestoreId;
    const key = async (app: typeof a, agent: number) => (await answer(app, "GET", `/v1.0/1234/agent/${agent}`)).body.PublicKey;
    const writes: Array<(app: typeof a, last: Record<string, any>) => Promise<{ status: number; body: any }>> = [
      (app) => answer(app, "POST", "/v1.0/1234/user/wakeupagents"),
      (app) => answer(app, "POST", "/v1.0/1234/agent/213564", { UseServiceNet: false }),
      (app) => answer(app, "PUT", "/v1.0/1234/agent/logging", { MachineAgentId: 202743, LoggingLevelId: 2 }),
      (app) => answer(app, "POST", "/v1.0/1234/backup-configuration", weeklyConfig(202743, { BackupConfigurationName: "Round trip" })),
      (app, last) =>
        answer(
          app,
          "PUT",
          `/v1.0/1234/backup-configuration/${last.config}`,
          weeklyConfig(202743, { BackupConfigurationName: "Round trip 2" }),
        ),
      (app, last) => answer(app, "POST", `/v1.0/1234/backup-configuration/enable/${last.config}`, { Enable: false }),
      (app) => answer(app, "POST", "/v1.0/1234/agent/enable", { MachineAgentId: 202743, Enable: false }),
      (app) => answer(app, "POST", "/v1.0/1234/agent/enable", { MachineAgentId: 202743, Enable: true }),
      (app) =>
        answer(app, "PUT", "/v1.0/1234/restore/files", {
          FilePath: "C:\\Websites\\web.config",
          Filter: 1,
          ParentId: restoreId,
          FileItemType: 0,
        }),
      (app) =>
        answer(app, "PUT", "/v1.0/1234/restore/files", { FilePath: "C:\\Websites\\Logs", Filter: 2, ParentId: restoreId, FileItemType: 1 }),
      async (app) =>
        answer(
          app,
          "DELETE",
          `/v1.0/1234/restore/files/${(await answer(app, "GET", `/v1.0/1234/restore/files/${restoreId}`)).body[1].FileId}`,
        ),
      (app) =>
        answer(app, "POST", "/v1.0/1234/restore", {
          RestoreId: restoreId,
          BackupId: completed[0].BackupId,
          BackupMachineId: 213564,
          DestinationMachineId: 213564,
          OverwriteFiles: true,
          BackupConfigurationId: 180002,
          DestinationPath: "C:\\Restore2",
          RestoreStateId: 0,
        }),
      (app) => answer(app, "POST", "/v1.0/1234/restore/action-requested", { Action: "StartManual", Id: restoreId }),
      (app) => answer(app, "POST", "/v1.0/1234/backup/action-requested", { Action: "StartManual", Id: 180000 }),
      (app, last) => answer(app, "POST", "/v1.0/1234/backup/action-requested", { Action: "StopManual", Id: last.backup }),
      async (app) =>
        answer(app, "POST", "/v1.0/1234/agent/encrypt", {
          MachineAgentId: 202743,
          EncryptedPasswordHex: encryptPassphrase(await key(app, 202743), "round trip"),
        }),
      async (app) => {
        const k = await key(app, 202743);
        return answer(app, "POST", "/v1.0/1234/agent/changeencryption", {
          MachineAgentId: 202743,
          OldEncryptedPasswordHex: encryptPassphrase(k, "round trip"),
          NewEncryptedPasswordHex: encryptPassphrase(k, "round trip 2"),
        });
      },
      (app) => answer(app, "PUT", "/v1.0/1234/agent/migratevault", { SourceMachineAgentId: 213564, DestinationMachineAgentId: 213563 }),
      (app, last) => answer(app, "DELETE", `/v1.0/1234/backup-configuration/${last.config}`),
      (app) => answer(app, "POST", "/v1.0/1234/agent/delete", { MachineAgentId: 213563 }),
    ];
    const lastA: Record<string, any> = {};
    const lastB: Record<string, any> = {};
    let succeeded = 0;
    for (const [i, write] of writes.entries()) {
      const got = await write(b, lastB);
      const want = await write(a, lastA);
      if (i === 15 || i === 16) {
        // Encryption answers a fresh job id (a random UUID) each time, on any server.
        expect(got.status, `write ${i}`).toBe(want.status);
        expect(got.body).toMatch(/^[0-9a-f-]{36}$/);
      } else expect(got, `write ${i}`).toEqual(want);
      expect(want.status, `write ${i}: ${JSON.stringify(want.body)}`).toBeLessThan(500);
      if (want.status < 300) succeeded++;
      for (const last of [lastA, lastB]) {
        if (i === 3) last.config = want.body.BackupConfigurationId;
        if (i === 13) last.backup = want.body;
      }
    }
    expect(succeeded).toBeGreaterThanOrEqual(18);
    const written = new Set([
      "wakeAgents",
      "updateAgentBackupBehavior",
      "changeAgentLogLevel",
      "createBackupConfiguration",
      "updateBackupConfiguration",
      "enableBackupConfiguration",
      "enableAgent",
      "addRestoreFile",
      "deleteRestoreFile",
      "updateRestore",
      "requestRestoreAction",
      "requestBackupAction",
      "enableVolumeEncryption",
      "changeEncryptionPassword",
      "migrateVault",
      "deleteBackupConfiguration",
      "deleteAgent",
      "createRestore",
    ]);
    expect(new Set(operations.filter((o) => o.method !== "GET").map((o) => o.operationId))).toEqual(written);
    reads += await expectSameReads(a, b);

    // Later: scheduled runs, restores finishing, expiry, the same on both.
    for (const seconds of [60, DAY, 9 * DAY]) {
      await admin(a, "POST", "/__admin/clock/advance", { seconds });
      await admin(b, "POST", "/__admin/clock/advance", { seconds });
      reads += await expectSameReads(a, b);
    }
    expect(await (await admin(b, "GET", "/__admin/world")).json()).toEqual(await (await admin(a, "GET", "/__admin/world")).json());
    console.log(`round trip: ${reads} reads and ${writes.length} writes answered the same`);
  }, 120_000);
});

describe("POST /__admin/reset", () => {
  it("lays the seed out again relative to the time of the reset, without moving the clock back", async () => {
    const { call, advance } = testServer({ seed: example });
    await advance(3 * DAY);
    const before = (await call("GET", "/__admin/clock", { token: null })).body.now;
    expect((await call("POST", "/__admin/reset", { token: null })).status).toBe(204);
    expect((await call("GET", "/__admin/clock", { token: null })).body.now).toBe(before);
    // The seed's backup "two days before the start" is two days before the reset.
    const report = await call("GET", "/v1.0/acme/backup/report/700001", { token: "acme-admin-token" });
    const started = Number(/-?\d+/.exec(report.body.StartTime)?.[0]);
    expect(started).toBe(before - 2 * DAY * 1000);
  });
});
