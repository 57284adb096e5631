/**
 * The internal endpoints (openapi/internal.yaml) as the official clients call them: tenant-less
 * paths, answers derived from the world, the same roles and errors as the published operations.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { internalOperations } from "@cloud-backup/spec";
import { describe, expect, it } from "vitest";
import { createServer, encryptPassphrase } from "../src/node/index.js";
import { manualConfig, T0, tenantFixture, testServer } from "./helpers.js";

describe("internal endpoints", () => {
  it("answers all seven under both path forms", async () => {
    expect(internalOperations.map((o) => o.operationId).sort()).toEqual(
      [
        "getAgentBusy",
        "getAgentConfiguration",
        "getAgentLogLevel",
        "getCleanupReport",
        "listAgentEvents",
        "listAgentLogFiles",
        "requestAgentLog",
      ].sort(),
    );
    const { call } = testServer();
    for (const op of internalOperations) {
      const filled = op.path.replace("{machineAgentId}", "202743").replace("{cleanupId}", "1");
      for (const path of [filled.replace("{tenant_id}", "1234"), filled.replace("/{tenant_id}", "")]) {
        const res = await call(op.method, path);
        expect(res.status, `${op.method} ${path}`).toBe(op.operationId === "getCleanupReport" ? 404 : 200);
      }
    }
  });

  it("getAgentLogLevel returns what changeAgentLogLevel set, as cloudbackup's SetLogLevel then GetLogLevel do", async () => {
    const { call } = testServer();
    expect((await call("GET", "/v1.0/agent/logging/202743")).body).toBe("Info");
    const set = await call("PUT", "/v1.0/agent/logging", {
      body: { MachineAgentId: 202743, LoggingLevelid: 3 },
      contentType: "application/json; charset=utf-8",
    });
    expect(set.status).toBe(204);
    const read = await call("GET", "/v1.0/agent/logging/202743");
    expect(read.status).toBe(200);
    expect(read.body).toBe("Warn");
    await call("PUT", "/v1.0/1234/agent/logging", {
      raw: "MachineAgentId=202743&LoggingLevelId=7",
      contentType: "application/x-www-form-urlencoded",
    });
    expect((await call("GET", "/v1.0/1234/agent/logging/202743")).body).toBe("All");
  });

  it("getAgentBusy is true while a backup runs on the agent and while a restore runs to it", async () => {
    const f = await tenantFixture();
    const busy = async () => (await f.c("GET", `/agent/busy/${f.linux}`)).body;
    expect(await busy()).toBe(false);
    const configId = await f.createConfig(manualConfig(f.linux));
    const backupId = (await f.c("POST", "/backup/action-requested", { body: { Action: "StartManual", Id: configId } })).body;
    expect(await busy()).toBe(true);
    await f.advance(600);
    expect((await f.c("GET", `/backup/${backupId}`)).body.CurrentState).toBe("Completed");
    expect(await busy()).toBe(false);
    const restoreId = await f.createRestore(backupId);
    expect(await busy()).toBe(false);
    expect((await f.c("POST", "/restore/action-requested", { body: { Action: "StartManual", Id: restoreId } })).status).toBe(204);
    expect(await busy()).toBe(true);
    await f.advance(600);
    expect(await busy()).toBe(false);
  });

  it("listAgentEvents shows a Heartbeat after a wake-up, with its age, as cloudbackup's WakeSpecificAgent waits for", async () => {
    const { call, advance } = testServer();
    // 213563 is offline in the demo world and was never online: no events.
    expect((await call("GET", "/v1.0/agent/events/213563")).body).toEqual([]);
    expect((await call("POST", "/v1.0/user/wakeupagents")).status).toBe(200);
    expect((await call("GET", "/v1.0/agent/events/213563")).body).toEqual([]);
    await advance(15);
    const events = (await call("GET", "/v1.0/agent/events/213563")).body;
    expect(events).toEqual([{ data: { Event: "Heartbeat", MachineAgentId: 213563 }, age: 0 }]);
    await advance(7);
    expect((await call("GET", "/v1.0/agent/events/213563")).body[0].age).toBe(7);
    await advance(16);
    // Heartbeats every 20 s from coming online: 23 s after it, the latest is 3 s old.
    expect((await call("GET", "/v1.0/agent/events/213563")).body[0].age).toBe(3);
  });

  it("getAgentConfiguration reflects the agent's configurations, volume and encryption", async () => {
    const f = await tenantFixture();
    const read = async (id = f.windows) => (await f.c("GET", `/agent/configuration/${id}`)).body;
    const before = await read();
    expect(Object.keys(before).sort()).toEqual(["BackupConfigurations", "SystemPreferences", "UserPreferences", "Volumes"]);
    expect(before.BackupConfigurations).toEqual([]);
    expect(before.Volumes).toHaveLength(1);
    expect(before.Volumes[0].EncryptionEnabled).toBe(false);
    expect(before.SystemPreferences.Logging.Level).toBe("Info");
    const agent = (await f.c("GET", `/agent/${f.windows}`)).body;
    expect(before.Volumes[0].Uri).toContain(agent.BackupContainer.split("/").at(-1));

    const body = manualConfig(f.windows, {
      Inclusions: [{ FilePath: "C:\\Data", FileItemType: "Folder" }],
      Exclusions: [{ FilePath: "C:\\Data\\tmp", FileItemType: "Folder" }],
    });
    const id = await f.createConfig(body);
    const withConfig = await read();
    expect(withConfig.BackupConfigurations).toEqual([
      expect.objectContaining({
        Id: id,
        Name: body.BackupConfigurationName,
        IsEnabled: true,
        Inclusions: [expect.objectContaining({ Pattern: "C:\\Data", Type: "Folder" })],
        Exclusions: [expect.objectContaining({ Pattern: "C:\\Data\\tmp" })],
      }),
    ]);
    expect(withConfig.BackupConfigurations[0].Schedules[0]).toMatchObject({ Frequency: "Manually", TimeOfDay: null });

    const hex = encryptPassphrase(agent.PublicKey, "secret");
    expect((await f.c("POST", "/agent/encrypt", { body: { MachineAgentId: f.windows, EncryptedPasswordHex: hex } })).status).toBe(200);
    expect((await read()).Volumes[0].EncryptionEnabled).toBe(true);

    expect((await f.c("DELETE", `/backup-configuration/${id}`)).status).toBe(200);
    expect((await read()).BackupConfigurations).toEqual([]);
  });

  it("requestAgentLog then listAgentLogFiles shows the upload: Requested, then Completed with a link", async () => {
    const f = await tenantFixture();
    expect((await f.c("GET", `/agent/logfiles/${f.linux}`)).body).toEqual([]);
    const req = await f.c("POST", `/agent/requestlog/${f.linux}`);
    expect(req.status).toBe(200);
    expect(req.body).toBe(1);
    const waiting = (await f.c("GET", `/agent/logfiles/${f.linux}`)).body;
    expect(waiting).toEqual([{ DisplayName: expect.any(String), CurrentState: "Requested", FilePath: null }]);
    await f.advance(10);
    const done = (await f.c("GET", `/agent/logfiles/${f.linux}`)).body;
    expect(done).toEqual([
      { DisplayName: waiting[0].DisplayName, CurrentState: "Completed", FilePath: expect.stringMatching(/^https:\/\/.*\.log$/) },
    ]);
    expect((await f.c("POST", `/agent/requestlog/${f.linux}`)).body).toBe(2);
    expect((await f.c("GET", `/agent/logfiles/${f.linux}`)).body).toHaveLength(2);
  });

  it("getCleanupReport answers for each Cleanup activity, and 404 for anything else", async () => {
    const { call, advance } = testServer();
    await advance(40 * 86_400);
    const activity = (await call("GET", "/v1.0/1234/activity")).body as Array<{ ID: number; Type: string; SourceMachineAgentId: number }>;
    const cleanups = activity.filter((a) => a.Type === "Cleanup");
    expect(cleanups.length).toBeGreaterThan(0);
    for (const cleanup of cleanups) {
      const report = await call("GET", `/v1.0/cleanup/report/${cleanup.ID}`);
      expect(report.status).toBe(200);
      expect(report.body).toMatchObject({ CleanupId: cleanup.ID, MachineAgentId: cleanup.SourceMachineAgentId, State: "Completed" });
      expect((await call("GET", `/v1.0/1234/backup/${report.body.BackupId}`)).status).toBe(200);
    }
    const backupId = cleanups[0]!.ID - 1_000_000_000;
    const live = activity.find((a) => a.Type === "Backup" && a.ID !== backupId)!;
    expect((await call("GET", `/v1.0/cleanup/report/${live.ID + 1_000_000_000}`)).status).toBe(404);
  });

  it("applies the roles: every role reads, requestAgentLog needs creator or admin", async () => {
    const { call } = testServer();
    for (const token of ["demo-token", "demo-creator-token", "demo-observer-token"]) {
      expect((await call("GET", "/v1.0/agent/busy/202743", { token })).status).toBe(200);
      expect((await call("GET", "/v1.0/agent/configuration/202743", { token })).status).toBe(200);
    }
    expect((await call("POST", "/v1.0/agent/requestlog/202743", { token: "demo-creator-token" })).status).toBe(200);
    const observer = await call("POST", "/v1.0/agent/requestlog/202743", { token: "demo-observer-token" });
    expect(observer.status).toBe(403);
    expect((await call("GET", "/v1.0/agent/logfiles/202743")).body).toHaveLength(1);
  });

  it("answers 401, 403, 404 and 400 as the published operations do", async () => {
    const f = await tenantFixture();
    expect((await f.c("GET", `/agent/busy/${f.linux}`, { token: null })).status).toBe(401);
    expect((await f.call("GET", `/v1.0/1234/agent/busy/${f.linux}`, { token: f.token })).status).toBe(403);
    // The demo account's agent is not this tenant's.
    expect((await f.c("GET", "/agent/busy/202743")).status).toBe(404);
    for (const bad of ["abc", "0", "1.5", "2147483648", "-1"]) {
      const res = await f.c("GET", `/agent/logging/${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.errors[0]).toMatchObject({ in: "path", name: "machineAgentId" });
    }
  });

  it("keeps log requests across a restart (the command log replays them)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cb-internal-"));
    try {
      const file = join(dir, "world.db");
      const headers = { "X-Auth-Token": "demo-token" };
      const first = createServer({ data: file, clock: { start: T0, speed: 0 } });
      expect((await first.request("/v1.0/agent/requestlog/202743", { method: "POST", headers })).status).toBe(200);
      const before = await (await first.request("/v1.0/agent/logfiles/202743", { headers })).json();
      first.close();
      const second = createServer({ data: file, clock: { start: T0, speed: 0 } });
      expect(await (await second.request("/v1.0/agent/logfiles/202743", { headers })).json()).toEqual(before);
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
