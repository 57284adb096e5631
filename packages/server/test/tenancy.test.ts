/**
 * Isolation between tenants, and the control API (reset, clock, tenants, health, faults).
 */
import { adminOperations, specHash, specVersion } from "@cloud-backup/spec";
import { describe, expect, it } from "vitest";
import { encryptPassphrase } from "../src/index.js";
import { type Answer, manualConfig, T0, type TenantFixture, tenantFixture, testServer } from "./helpers.js";

const admin = { token: null } as const;

/** Two tenants on one server; `b` has a configuration, a completed backup, a running one, a restore with a file. */
async function twoTenants() {
  const a = await tenantFixture();
  const created = await a.newTenant();
  const bc = <T = any>(method: string, path: string, init: Record<string, unknown> = {}) =>
    a.call<T>(method, `/v1.0/${created.tenantId}${path}`, { token: created.token, ...init });
  const [linux, windows] = created.agents as [number, number];
  const configId = (await bc("POST", "/backup-configuration", { body: manualConfig(linux) })).body.BackupConfigurationId;
  const backupId = (await bc("POST", "/backup/action-requested", { body: { Action: "StartManual", Id: configId } })).body;
  await a.advance(120);
  const restoreId = (
    await bc("PUT", "/restore", {
      body: { BackupId: backupId, BackupMachineId: linux, DestinationMachineId: linux, DestinationPath: "/r", OverwriteFiles: false },
    })
  ).body.RestoreId;
  await bc("PUT", "/restore/files", { body: { FilePath: "/var/www/html", Filter: 1, ParentId: restoreId, FileItemType: 1 } });
  const fileId = (await bc("GET", `/restore/files/${restoreId}`)).body[0].FileId;
  const host = (await bc("GET", `/agent/${linux}`)).body.HostServerId;
  const running = (await bc("POST", "/backup/action-requested", { body: { Action: "StartManual", Id: configId } })).body;
  const b = { ...created, c: bc, linux, windows, configId, backupId, running, restoreId, fileId, host };
  /** Everything tenant b can see. */
  const view = async () => {
    const paths = [
      "/user/agents",
      "/backup-configuration",
      "/backup/availableforrestore",
      "/activity",
      `/restore/${restoreId}`,
      `/restore/files/${restoreId}`,
      `/backup/${running}`,
    ];
    return Promise.all(paths.map(async (p) => (await bc("GET", p)).body));
  };
  return { a, b, view };
}

type Two = Awaited<ReturnType<typeof twoTenants>>;

describe("tenant isolation", () => {
  const reads: Array<{ what: string; path: (b: Two["b"]) => string }> = [
    { what: "an agent", path: (b) => `/agent/${b.linux}` },
    { what: "an agent by host server", path: (b) => `/agent/server/${b.host}` },
    { what: "an agent's configurations", path: (b) => `/backup-configuration/system/${b.linux}` },
    { what: "a configuration", path: (b) => `/backup-configuration/${b.configId}` },
    { what: "completed backups", path: (b) => `/backup/completed/${b.configId}` },
    { what: "a backup", path: (b) => `/backup/${b.backupId}` },
    { what: "a backup report", path: (b) => `/backup/report/${b.backupId}` },
    { what: "a restore", path: (b) => `/restore/${b.restoreId}` },
    { what: "a restore report", path: (b) => `/restore/report/${b.restoreId}` },
    { what: "restore files", path: (b) => `/restore/files/${b.restoreId}` },
    { what: "an agent's activity", path: (b) => `/system/activity/${b.linux}` },
  ];
  it.each(reads)("answers 404 when a tenant reads another's $what", async ({ path }) => {
    const { a, b } = await twoTenants();
    expect((await b.c("GET", path(b))).status).toBe(200);
    expect((await a.c("GET", path(b))).status).toBe(404);
    // Tenant-less paths take the tenant from the token, so they do not reach b either.
    expect((await a.call("GET", `/v1.0${path(b)}`, { token: a.token })).status).toBe(404);
  });

  it("lists only the tenant's own agents, configurations, backups and activity", async () => {
    const { a, b } = await twoTenants();
    const mine = await a.createConfig();
    await a.runBackup(mine);
    const agents = (await a.c("GET", "/user/agents")).body.map((x: any) => x.MachineAgentId);
    expect(agents).toEqual([a.linux, a.windows]);
    expect((await a.c("GET", "/backup-configuration")).body.map((x: any) => x.BackupConfigurationId)).toEqual([mine]);
    expect((await a.c("GET", "/backup/availableforrestore")).body.map((x: any) => x.BackupConfigurationId)).toEqual([mine]);
    const activity = (await a.c("GET", "/activity")).body;
    expect(activity.every((x: any) => agents.includes(x.SourceMachineAgentId))).toBe(true);
    expect(activity.map((x: any) => x.ID)).not.toContain(b.backupId);
  });

  const writes: Array<{ what: string; send: (a: TenantFixture, b: Two["b"]) => Promise<Answer> }> = [
    { what: "enables an agent", send: (a, b) => a.c("POST", "/agent/enable", { body: { MachineAgentId: b.linux, Enable: false } }) },
    { what: "updates an agent", send: (a, b) => a.c("POST", `/agent/${b.linux}`, { body: { UseServiceNet: false } }) },
    {
      what: "encrypts an agent",
      send: async (a, b) =>
        a.c("POST", "/agent/encrypt", {
          body: {
            MachineAgentId: b.linux,
            EncryptedPasswordHex: encryptPassphrase((await b.c("GET", `/agent/${b.linux}`)).body.PublicKey, "x"),
          },
        }),
    },
    {
      what: "changes a passphrase",
      send: (a, b) =>
        a.c("POST", "/agent/changeencryption", {
          body: { MachineAgentId: b.linux, OldEncryptedPasswordHex: "ab", NewEncryptedPasswordHex: "cd" },
        }),
    },
    { what: "deletes an agent", send: (a, b) => a.c("POST", "/agent/delete", { body: { MachineAgentId: b.windows } }) },
    {
      what: "migrates a vault from it",
      send: (a, b) => a.c("PUT", "/agent/migratevault", { body: { SourceMachineAgentId: b.linux, DestinationMachineAgentId: a.linux } }),
    },
    {
      what: "migrates a vault to it",
      send: async (a, b) => {
        await a.createConfig();
        return a.c("PUT", "/agent/migratevault", { body: { SourceMachineAgentId: a.linux, DestinationMachineAgentId: b.windows } });
      },
    },
    {
      what: "changes a log level",
      send: (a, b) =>
        a.c("PUT", "/agent/logging", {
          raw: `MachineAgentId=${b.linux}&LoggingLevelId=6`,
          contentType: "application/x-www-form-urlencoded",
        }),
    },
    {
      what: "creates a configuration on an agent",
      send: (a, b) => a.c("POST", "/backup-configuration", { body: manualConfig(b.linux, { BackupConfigurationName: "intruder" }) }),
    },
    {
      what: "updates a configuration",
      send: (a, b) =>
        a.c("PUT", `/backup-configuration/${b.configId}`, { body: manualConfig(b.linux, { BackupConfigurationName: "renamed" }) }),
    },
    { what: "deletes a configuration", send: (a, b) => a.c("DELETE", `/backup-configuration/${b.configId}`) },
    {
      what: "disables a configuration",
      send: (a, b) => a.c("POST", `/backup-configuration/enable/${b.configId}`, { body: { Enable: false } }),
    },
    {
      what: "starts a backup",
      send: (a, b) => a.c("POST", "/backup/action-requested", { body: { Action: "StartManual", Id: b.configId } }),
    },
    { what: "stops a backup", send: (a, b) => a.c("POST", "/backup/action-requested", { body: { Action: "StopManual", Id: b.running } }) },
    {
      what: "creates a restore of a backup",
      send: (a, b) =>
        a.c("PUT", "/restore", {
          body: {
            BackupId: b.backupId,
            BackupMachineId: b.linux,
            DestinationMachineId: a.linux,
            DestinationPath: "/stolen",
            OverwriteFiles: false,
          },
        }),
    },
    {
      what: "updates a restore",
      send: (a, b) =>
        a.c("POST", "/restore", {
          body: {
            RestoreId: b.restoreId,
            BackupId: b.backupId,
            BackupMachineId: b.linux,
            DestinationMachineId: b.linux,
            OverwriteFiles: true,
            BackupConfigurationId: b.configId,
            DestinationPath: "/x",
            RestoreStateId: 0,
          },
        }),
    },
    {
      what: "adds a restore file",
      send: (a, b) => a.c("PUT", "/restore/files", { body: { FilePath: "/etc", Filter: 1, ParentId: b.restoreId, FileItemType: 1 } }),
    },
    { what: "deletes a restore file", send: (a, b) => a.c("DELETE", `/restore/files/${b.fileId}`) },
    {
      what: "starts a restore",
      send: (a, b) => a.c("POST", "/restore/action-requested", { body: { Action: "StartManual", Id: b.restoreId } }),
    },
  ];
  it.each(writes)("answers 404 and changes nothing when a tenant $what of another", async ({ send }) => {
    const { a, b, view } = await twoTenants();
    const before = await view();
    const res = await send(a, b);
    expect(res.status, JSON.stringify(res.body)).toBe(404);
    expect(await view()).toEqual(before);
  });

  it("answers 403 to a valid token on another tenant's path", async () => {
    const { a, b, view } = await twoTenants();
    const before = await view();
    for (const [method, path, body] of [
      ["GET", "/user/agents", undefined],
      ["GET", `/agent/${b.linux}`, undefined],
      ["POST", "/agent/delete", { MachineAgentId: b.linux }],
      ["POST", "/backup/action-requested", { Action: "StartManual", Id: b.configId }],
      ["DELETE", `/backup-configuration/${b.configId}`, undefined],
    ] as const) {
      const res = await a.call(method, `/v1.0/${b.tenantId}${path}`, { token: a.token, ...(body ? { body } : {}) });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.detail).toContain(b.tenantId);
    }
    expect(await view()).toEqual(before);
  });

  it("wakes only the caller's agents", async () => {
    const { a, b } = await twoTenants();
    await a.advance(31 * 60);
    await a.wake(a.token);
    expect((await a.c("GET", `/agent/${a.linux}`)).body.Status).toBe("Online");
    expect((await b.c("GET", `/agent/${b.windows}`)).body.Status).toBe("Offline");
  });
});

describe("control API", () => {
  it("lists the control operations the admin description has", () => {
    expect(adminOperations.map((op) => op.operationId).sort()).toEqual([
      "advanceClock",
      "clearFaults",
      "createFault",
      "createTenant",
      "deleteFault",
      "exportWorld",
      "getClock",
      "getHealth",
      "listFaults",
      "resetWorld",
    ]);
  });

  it("reset puts the seed back: tenants, agents, configurations, tokens and faults", async () => {
    const { call, newTenant } = testServer();
    const seeded = await Promise.all(
      ["/user/agents", "/backup-configuration"].map(async (p) => (await call("GET", `/v1.0/1234${p}`)).body),
    );
    const extra = await newTenant();
    expect((await call("POST", "/v1.0/1234/agent/delete", { body: { MachineAgentId: 202743 } })).status).toBe(204);
    expect(
      (
        await call("POST", "/v1.0/1234/backup-configuration", {
          body: manualConfig(95874, { Inclusions: [{ FilePath: "D:\\x", FileItemType: "Folder" }], Exclusions: [] }),
        })
      ).status,
    ).toBe(200);
    await call("POST", "/__admin/faults", { ...admin, body: { kind: "status", operationId: "getAgent", status: 503, count: 5 } });

    expect((await call("POST", "/__admin/reset", admin)).status).toBe(204);
    const after = await Promise.all(["/user/agents", "/backup-configuration"].map(async (p) => (await call("GET", `/v1.0/1234${p}`)).body));
    expect(after.map((list) => list.map((x: any) => x.MachineAgentId ?? x.BackupConfigurationId))).toEqual(
      seeded.map((list) => list.map((x: any) => x.MachineAgentId ?? x.BackupConfigurationId)),
    );
    expect(after[1].map((c: any) => c.BackupConfigurationName)).toEqual(seeded[1].map((c: any) => c.BackupConfigurationName));
    expect((await call("GET", "/v1.0/user/agents", { token: extra.token })).status).toBe(401);
    expect((await call("GET", "/__admin/faults", admin)).body).toEqual([]);
    expect((await call("GET", "/v1.0/1234/agent/202743")).status).toBe(200);
  });

  it("reads the clock and moves it forward, never back", async () => {
    const { call } = testServer();
    expect((await call("GET", "/__admin/clock", admin)).body).toEqual({
      now: T0,
      iso: new Date(T0).toISOString(),
      msDate: `/Date(${T0})/`,
      speed: 0,
    });
    const moved = await call("POST", "/__admin/clock/advance", { ...admin, body: { seconds: 90.5 } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ now: T0 + 90_500, iso: new Date(T0 + 90_500).toISOString() });
    const bad: Array<[unknown, string]> = [
      [{ seconds: -1 }, "/seconds"],
      [{ seconds: 31_622_401 }, "/seconds"],
      [{ seconds: "60" }, "/seconds"],
      [{}, "/seconds"],
    ];
    for (const [body, pointer] of bad) {
      const res = await call("POST", "/__admin/clock/advance", { ...admin, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors.map((e: any) => e.pointer)).toContain(pointer);
    }
    expect((await call("POST", "/__admin/clock/advance", { ...admin, raw: "" })).status).toBe(400);
    expect((await call("GET", "/__admin/clock", admin)).body.now).toBe(T0 + 90_500);
  });

  it("creates tenants with one token per requested role", async () => {
    const { call, newTenant } = testServer();
    const t = await newTenant({ tenantId: "it-roles-1", agents: 1, roles: ["cloudBackup:admin", "cloudBackup:observer"] });
    expect(t.tenantId).toBe("it-roles-1");
    expect(Object.keys(t.tokens).sort()).toEqual(["cloudBackup:admin", "cloudBackup:observer"]);
    expect(t.token).toBe(t.tokens["cloudBackup:admin"]);
    expect(t.agents).toHaveLength(1);
    const observer = t.tokens["cloudBackup:observer"]!;
    expect((await call("GET", "/v1.0/it-roles-1/user/agents", { token: observer })).status).toBe(200);
    expect(
      (await call("POST", "/v1.0/it-roles-1/agent/enable", { token: observer, body: { MachineAgentId: t.agents[0], Enable: false } }))
        .status,
    ).toBe(403);
    expect(
      (await call("POST", "/v1.0/it-roles-1/agent/enable", { token: t.token, body: { MachineAgentId: t.agents[0], Enable: false } }))
        .status,
    ).toBe(204);

    const onlyObserver = await newTenant({ roles: ["cloudBackup:observer"] });
    expect(Object.keys(onlyObserver.tokens)).toEqual(["cloudBackup:observer"]);
    expect(onlyObserver.token).toBe(onlyObserver.tokens["cloudBackup:observer"]);

    const duplicate = await call("POST", "/__admin/tenants", { ...admin, body: { tenantId: "it-roles-1" } });
    expect(duplicate.status).toBe(409);
    for (const body of [{ agents: 21 }, { roles: [] }, { roles: ["cloudBackup:root"] }, { tenantId: "bad id" }]) {
      expect((await call("POST", "/__admin/tenants", { ...admin, body })).status, JSON.stringify(body)).toBe(400);
    }
    const empty = await newTenant({ agents: 0 });
    expect((await call("GET", `/v1.0/${empty.tenantId}/user/agents`, { token: empty.token })).body).toEqual([]);
  });

  it("gives each tenant Identity credentials that authenticate against /v2.0/tokens", async () => {
    const { call } = testServer();
    const created = (await call("POST", "/__admin/tenants", { ...admin, body: {} })).body;
    const identity = await call("POST", "/v2.0/tokens", {
      token: null,
      body: { auth: { "RAX-KSKEY:apiKeyCredentials": { username: created.username, apiKey: created.apiKey } } },
    });
    expect(identity.status).toBe(200);
    const token = identity.body.access.token.id;
    expect((await call("GET", `/v1.0/${created.tenantId}/user/agents`, { token })).body.map((x: any) => x.MachineAgentId)).toEqual(
      created.agents,
    );
    const wrong = await call("POST", "/v2.0/tokens", {
      token: null,
      body: { auth: { passwordCredentials: { username: created.username, password: "nope" } } },
    });
    expect(wrong.status).toBe(401);
  });

  it("reports health with the spec it serves", async () => {
    const { call } = testServer();
    const res = await call("GET", "/__admin/health", admin);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "ok", specVersion, specHash });
  });
});

describe("faults", () => {
  it("status: the next N calls answer the status with Retry-After, then the fault clears", async () => {
    const f = await tenantFixture();
    const created = await f.call("POST", "/__admin/faults", {
      ...admin,
      body: { kind: "status", operationId: "getAgent", status: 503, count: 2, retryAfter: 7 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: "status", operationId: "getAgent", status: 503, count: 2, remaining: 2, retryAfter: 7 });
    // Other operations are not affected.
    expect((await f.c("GET", "/user/agents")).status).toBe(200);
    const first = await f.c("GET", `/agent/${f.linux}`);
    expect(first.status).toBe(503);
    expect(first.headers.get("retry-after")).toBe("7");
    expect((await f.call("GET", "/__admin/faults", admin)).body).toMatchObject([{ id: created.body.id, remaining: 1 }]);
    expect((await f.c("GET", `/agent/${f.linux}`)).status).toBe(503);
    expect((await f.c("GET", `/agent/${f.linux}`)).status).toBe(200);
    expect((await f.call("GET", "/__admin/faults", admin)).body).toEqual([]);
    expect((await f.call("DELETE", `/__admin/faults/${created.body.id}`, admin)).status).toBe(404);
  });

  it("status: a 500 without Retry-After, and a failed start changes nothing", async () => {
    const f = await tenantFixture();
    const configId = await f.createConfig();
    await f.call("POST", "/__admin/faults", {
      ...admin,
      body: { kind: "status", operationId: "requestBackupAction", status: 500, count: 1 },
    });
    const res = await f.c("POST", "/backup/action-requested", { body: { Action: "StartManual", Id: configId } });
    expect(res.status).toBe(500);
    expect(res.headers.get("retry-after")).toBeNull();
    expect((await f.c("GET", "/activity")).body).toEqual([]);
    expect((await f.c("POST", "/backup/action-requested", { body: { Action: "StartManual", Id: configId } })).status).toBe(200);
  });

  it("latency: calls of the operation wait, until the fault is deleted", async () => {
    const f = await tenantFixture();
    const fault = (await f.call("POST", "/__admin/faults", { ...admin, body: { kind: "latency", operationId: "listAgents", ms: 200 } }))
      .body;
    const timed = async (path: string) => {
      const started = performance.now();
      expect((await f.c("GET", path)).status).toBe(200);
      return performance.now() - started;
    };
    expect(await timed("/user/agents")).toBeGreaterThanOrEqual(190);
    expect(await timed(`/agent/${f.linux}`)).toBeLessThan(150);
    expect((await f.call("DELETE", `/__admin/faults/${fault.id}`, admin)).status).toBe(204);
    expect(await timed("/user/agents")).toBeLessThan(150);
  });

  it("backupFailure: runs of the configuration end Failed, manual and scheduled, until cleared", async () => {
    const f = await tenantFixture();
    const configId = await f.createConfig(
      manualConfig(f.linux, { Frequency: "Daily", StartTimeHour: 1, StartTimeMinute: 0, StartTimeAmPm: "AM" }),
    );
    const fault = await f.call("POST", "/__admin/faults", {
      ...admin,
      body: { kind: "backupFailure", backupConfigurationId: configId, percent: 100 },
    });
    expect(fault.status).toBe(201);
    const manual = await f.runBackup(configId);
    expect((await f.c("GET", `/backup/report/${manual}`)).body).toMatchObject({
      State: "Failed",
      Reason: "AgentError",
      FilesBackedUp: "0",
      CanRestore: false,
    });
    await f.advance(86_400);
    const states = (await f.c("GET", "/activity")).body.map((a: any) => a.CurrentState);
    expect(states).toEqual(["Failed", "Failed"]);
    expect((await f.c("GET", `/backup/completed/${configId}`)).body).toEqual([]);
    expect((await f.call("DELETE", "/__admin/faults", admin)).status).toBe(204);
    await f.wake(f.token);
    expect((await f.c("GET", `/backup/report/${await f.runBackup(configId)}`)).body.State).toBe("Completed");
  });

  it("agentOffline: the agent is Offline, ignores wake-ups and refuses starts with 403, until the fault is deleted", async () => {
    const f = await tenantFixture();
    const configId = await f.createConfig();
    const fault = (await f.call("POST", "/__admin/faults", { ...admin, body: { kind: "agentOffline", machineAgentId: f.linux } })).body;
    expect(fault).toMatchObject({ kind: "agentOffline", machineAgentId: f.linux });
    expect((await f.c("GET", `/agent/${f.linux}`)).body.Status).toBe("Offline");
    await f.wake(f.token);
    expect((await f.c("GET", `/agent/${f.linux}`)).body.Status).toBe("Offline");
    expect((await f.c("GET", `/agent/${f.windows}`)).body.Status).toBe("Online");
    expect((await f.c("POST", "/backup/action-requested", { body: { Action: "StartManual", Id: configId } })).status).toBe(403);
    expect((await f.call("DELETE", `/__admin/faults/${fault.id}`, admin)).status).toBe(204);
    expect((await f.c("GET", `/agent/${f.linux}`)).body.Status).toBe("Online");
    expect((await f.c("POST", "/backup/action-requested", { body: { Action: "StartManual", Id: configId } })).status).toBe(200);
  });

  it("refuses malformed faults and faults on things that do not exist", async () => {
    const { call } = testServer();
    for (const body of [
      { kind: "bogus" },
      { kind: "status", operationId: "getAgent", status: 404, count: 1 },
      { kind: "latency", operationId: "getAgent", ms: 60_001 },
      { kind: "backupFailure", backupConfigurationId: 999999, percent: 50 },
      { kind: "agentOffline", machineAgentId: 999999 },
    ]) {
      const res = await call("POST", "/__admin/faults", { ...admin, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await call("GET", "/__admin/faults", admin)).body).toEqual([]);
  });
});
