/**
 * Every operation of the API: its success path, and each error status it documents that a
 * client can provoke. Every answer is checked against the spec by `call`.
 */
import { type OperationId, operations } from "@cloud-backup/spec";
import { describe, expect, it } from "vitest";
import { encryptPassphrase } from "../src/index.js";
import { type Answer, fillPath, manualConfig, msOf, type TenantFixture, tenantFixture, weeklyConfig } from "./helpers.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ids = (list: any[], key: string) => list.map((item) => item[key]);

/** A restore file in tenant 1234 of the default world (a restore in Creating with one file). */
async function defaultWorldRestoreFile(f: TenantFixture): Promise<{ restoreId: number; fileId: number }> {
  const completed = await f.call("GET", "/v1.0/1234/backup/completed/180002");
  const created = await f.call("PUT", "/v1.0/1234/restore", {
    body: {
      BackupId: completed.body[0].BackupId,
      BackupMachineId: 213564,
      DestinationMachineId: 213564,
      DestinationPath: "C:\\Restore",
      OverwriteFiles: false,
    },
  });
  const restoreId = created.body.RestoreId;
  await f.call("PUT", "/v1.0/1234/restore/files", {
    body: { FilePath: "C:\\Websites\\web.config", Filter: 1, ParentId: restoreId, FileItemType: 0 },
  });
  const files = await f.call("GET", `/v1.0/1234/restore/files/${restoreId}`);
  return { restoreId, fileId: files.body[0].FileId };
}

async function encrypt(f: TenantFixture, agentId: number, passphrase: string): Promise<void> {
  const res = await f.c("POST", "/agent/encrypt", {
    body: { MachineAgentId: agentId, EncryptedPasswordHex: encryptPassphrase(await f.publicKey(agentId), passphrase) },
  });
  expect(res.status).toBe(200);
}

async function completedBackup(f: TenantFixture): Promise<{ configId: number; backupId: number }> {
  const configId = await f.createConfig();
  return { configId, backupId: await f.runBackup(configId) };
}

async function startedRestore(f: TenantFixture): Promise<{ restoreId: number; fileId: number; backupId: number; configId: number }> {
  const { configId, backupId } = await completedBackup(f);
  const restoreId = await f.createRestore(backupId);
  await f.c("PUT", "/restore/files", { body: { FilePath: "/var/www/html/index.html", Filter: 1, ParentId: restoreId, FileItemType: 0 } });
  const fileId = (await f.c("GET", `/restore/files/${restoreId}`)).body[0].FileId;
  expect((await f.c("POST", "/restore/action-requested", { body: { Action: "StartManual", Id: restoreId } })).status).toBe(204);
  return { restoreId, fileId, backupId, configId };
}

function updateRestoreBody(
  f: TenantFixture,
  restoreId: number,
  backupId: number,
  configId: number,
  overrides: Record<string, unknown> = {},
) {
  return {
    RestoreId: restoreId,
    BackupId: backupId,
    BackupMachineId: f.linux,
    DestinationMachineId: f.linux,
    OverwriteFiles: true,
    BackupConfigurationId: configId,
    DestinationPath: "/elsewhere",
    RestoreStateId: 0,
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------- success

type Case = (f: TenantFixture) => Promise<void>;

const success = {
  async getAgent({ c, linux }) {
    const res = await c("GET", `/agent/${linux}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      MachineAgentId: linux,
      Status: "Online",
      IsDisabled: false,
      IsEncrypted: false,
      OperatingSystem: "Ubuntu",
      Datacenter: "DFW",
    });
  },
  async updateAgentBackupBehavior({ call }) {
    // The default world has servers in DFW and ORD.
    const res = await call("POST", "/v1.0/1234/agent/213564", { body: { UseServiceNet: false, BackupDataCenter: "ORD" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ MachineAgentId: 213564, UseServiceNet: false, BackupDatacenter: "ORD" });
    expect(res.body.BackupContainer).toContain("storage101.ord1.");
    expect((await call("GET", "/v1.0/1234/agent/213564")).body).toMatchObject({ UseServiceNet: false, BackupDatacenter: "ORD" });
  },
  async enableAgent({ c, linux }) {
    expect((await c("POST", "/agent/enable", { body: { MachineAgentId: linux, Enable: false } })).status).toBe(204);
    expect((await c("GET", `/agent/${linux}`)).body.IsDisabled).toBe(true);
    expect((await c("POST", "/agent/enable", { body: { MachineAgentId: linux, Enable: true } })).status).toBe(204);
    expect((await c("GET", `/agent/${linux}`)).body.IsDisabled).toBe(false);
  },
  async enableVolumeEncryption(f) {
    const res = await f.c("POST", "/agent/encrypt", {
      body: { MachineAgentId: f.linux, EncryptedPasswordHex: encryptPassphrase(await f.publicKey(f.linux), "correct horse") },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatch(UUID);
    expect((await f.c("GET", `/agent/${f.linux}`)).body.IsEncrypted).toBe(true);
  },
  async changeEncryptionPassword(f) {
    const key = await f.publicKey(f.linux);
    await encrypt(f, f.linux, "one");
    const change = (from: string, to: string) =>
      f.c("POST", "/agent/changeencryption", {
        body: {
          MachineAgentId: f.linux,
          OldEncryptedPasswordHex: encryptPassphrase(key, from),
          NewEncryptedPasswordHex: encryptPassphrase(key, to),
        },
      });
    const res = await change("one", "two");
    expect(res.status).toBe(200);
    expect(res.body).toMatch(UUID);
    // "two" is the passphrase now.
    expect((await change("one", "three")).status).toBe(400);
    expect((await change("two", "three")).status).toBe(200);
  },
  async deleteAgent({ c, linux, windows }) {
    expect((await c("POST", "/agent/delete", { body: { MachineAgentId: linux } })).status).toBe(204);
    expect((await c("GET", `/agent/${linux}`)).status).toBe(404);
    expect(ids((await c("GET", "/user/agents")).body, "MachineAgentId")).toEqual([windows]);
  },
  async migrateVault(f) {
    const { configId, backupId } = await completedBackup(f);
    const res = await f.c("PUT", "/agent/migratevault", { body: { SourceMachineAgentId: f.linux, DestinationMachineAgentId: f.windows } });
    expect(res.status).toBe(200);
    expect(ids((await f.c("GET", `/backup-configuration/system/${f.windows}`)).body, "BackupConfigurationId")).toEqual([configId]);
    expect((await f.c("GET", `/backup-configuration/system/${f.linux}`)).body).toEqual([]);
    expect((await f.c("GET", `/backup/${backupId}`)).body.MachineAgentId).toBe(f.windows);
  },
  async getAgentByHostServer({ c, windows }) {
    const host: string = (await c("GET", `/agent/${windows}`)).body.HostServerId;
    for (const id of [host, host.toUpperCase()]) {
      const res = await c("GET", `/agent/server/${id}`);
      expect(res.status).toBe(200);
      expect(res.body.MachineAgentId).toBe(windows);
    }
  },
  async changeAgentLogLevel({ c, app, tenant, linux }) {
    const level = () => app.world.tenants.get(tenant.tenantId)!.agents.get(linux)!.logLevel;
    const form = await c("PUT", "/agent/logging", {
      raw: `MachineAgentId=${linux}&LoggingLevelId=6`,
      contentType: "application/x-www-form-urlencoded",
    });
    expect([200, 204]).toContain(form.status);
    expect(level()).toBe(6);
    const json = await c("PUT", "/agent/logging", { body: { MachineAgentId: linux, LoggingLevelId: 2 } });
    expect([200, 204]).toContain(json.status);
    expect(level()).toBe(2);
  },
  async listAgents({ c, tenant }) {
    const res = await c("GET", "/user/agents");
    expect(res.status).toBe(200);
    expect(ids(res.body, "MachineAgentId")).toEqual(tenant.agents);
    expect(ids(res.body, "OperatingSystem")).toEqual(["Ubuntu", "Windows Server 2019"]);
  },
  async wakeAgents({ call, advance }) {
    const status = async () => (await call("GET", "/v1.0/1234/agent/213563")).body.Status;
    expect(await status()).toBe("Offline");
    expect((await call("POST", "/v1.0/1234/user/wakeupagents")).status).toBe(200);
    await advance(14);
    expect(await status()).toBe("Offline");
    await advance(1);
    expect(await status()).toBe("Online");
  },
  async listBackupConfigurations(f) {
    const a = await f.createConfig(manualConfig(f.linux, { BackupConfigurationName: "A" }));
    const b = await f.createConfig(weeklyConfig(f.linux, { BackupConfigurationName: "B" }));
    const res = await f.c("GET", "/backup-configuration");
    expect(res.status).toBe(200);
    expect(ids(res.body, "BackupConfigurationId")).toEqual([a, b]);
    expect(ids(res.body, "BackupConfigurationName")).toEqual(["A", "B"]);
  },
  async createBackupConfiguration({ c, linux }) {
    const res = await c("POST", "/backup-configuration", { body: weeklyConfig(linux) });
    expect(res.status).toBe(200);
    const id = res.body.BackupConfigurationId;
    expect(res.body).toMatchObject({
      MachineAgentId: linux,
      BackupConfigurationName: "Weekly Website Backup",
      IsActive: true,
      IsDeleted: false,
      VersionRetention: 30,
      MissedBackupActionId: 1,
      Frequency: "Weekly",
      TimeZoneId: "Eastern Standard Time",
      LastRunTime: null,
      BackupState: "Not Available",
      Inclusions: [{ FilePath: "/var/www/html", FileItemType: "Folder", Filter: "Include", ParentId: id }],
      Exclusions: [{ FilePath: "/var/www/html/uploads", FileItemType: "Folder", Filter: "Exclude", ParentId: id }],
    });
    expect(res.body.Inclusions[0].FileId).toBeGreaterThan(0);
    expect(res.body.NextScheduledRunTime).not.toBeNull();
  },
  async getBackupConfiguration({ c, linux }) {
    const created = await c("POST", "/backup-configuration", { body: weeklyConfig(linux) });
    const res = await c("GET", `/backup-configuration/${created.body.BackupConfigurationId}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(created.body);
  },
  async updateBackupConfiguration({ c, linux }) {
    const created = (await c("POST", "/backup-configuration", { body: weeklyConfig(linux) })).body;
    const id = created.BackupConfigurationId;
    const { Inclusions: _i, Exclusions: _e, ...rest } = weeklyConfig(linux);
    const body = {
      ...rest,
      BackupConfigurationName: "Renamed",
      Frequency: "Daily",
      StartTimeHour: 2,
      StartTimeMinute: 15,
      StartTimeAmPm: "AM",
      DayOfWeekId: null,
      BackupConfigurationScheduleId: created.BackupConfigurationScheduleId,
    };
    const res = await c("PUT", `/backup-configuration/${id}`, { body });
    expect(res.status).toBe(200);
    const after = (await c("GET", `/backup-configuration/${id}`)).body;
    expect(after).toMatchObject({
      BackupConfigurationName: "Renamed",
      Frequency: "Daily",
      DayOfWeekId: null,
      BackupConfigurationScheduleId: created.BackupConfigurationScheduleId,
    });
    // Omitted inclusions and exclusions keep their items.
    expect(after.Inclusions).toEqual(created.Inclusions);
    expect(after.Exclusions).toEqual(created.Exclusions);
    // An empty array clears them.
    expect((await c("PUT", `/backup-configuration/${id}`, { body: { ...body, Exclusions: [] } })).status).toBe(200);
    expect((await c("GET", `/backup-configuration/${id}`)).body.Exclusions).toEqual([]);
  },
  async deleteBackupConfiguration(f) {
    const id = await f.createConfig();
    const res = await f.c("DELETE", `/backup-configuration/${id}`);
    expect(res.status).toBe(200);
    // Reading after delete answers 404: rcbu's integration test was changed on 2013-09-09 to
    // expect an HTTP error here (ERRATA E-33).
    const read = await f.c("GET", `/backup-configuration/${id}`);
    expect(read.status).toBe(404);
    expect(read.body.detail).toMatch(/deleted/);
    expect((await f.c("GET", "/backup-configuration")).body).toEqual([]);
  },
  async listAgentBackupConfigurations(f) {
    const id = await f.createConfig();
    const res = await f.c("GET", `/backup-configuration/system/${f.linux}`);
    expect(res.status).toBe(200);
    expect(ids(res.body, "BackupConfigurationId")).toEqual([id]);
    expect((await f.c("GET", `/backup-configuration/system/${f.windows}`)).body).toEqual([]);
  },
  async enableBackupConfiguration(f) {
    const id = await f.createConfig(weeklyConfig(f.linux));
    const off = await f.c("POST", `/backup-configuration/enable/${id}`, { body: { Enable: false } });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ BackupConfigurationId: id, IsActive: false, NextScheduledRunTime: null });
    const on = await f.c("POST", `/backup-configuration/enable/${id}`, { body: { Enable: true } });
    expect(on.body.IsActive).toBe(true);
    expect(on.body.NextScheduledRunTime).not.toBeNull();
  },
  async requestBackupAction(f) {
    const id = await f.createConfig();
    const start = await f.c("POST", "/backup/action-requested", { body: { Action: "StartManual", Id: id } });
    expect(start.status).toBe(200);
    expect(typeof start.body).toBe("number");
    expect((await f.c("GET", `/backup/${start.body}`)).body.CurrentState).toBe("StartRequested");
    await f.advance(5);
    const stop = await f.c("POST", "/backup/action-requested", { body: { Action: "StopManual", Id: start.body } });
    expect(stop.status).toBe(204);
    expect((await f.c("GET", `/backup/${start.body}`)).body.CurrentState).toBe("StopRequested");
  },
  async getBackup(f) {
    const { configId, backupId } = await completedBackup(f);
    const res = await f.c("GET", `/backup/${backupId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      BackupId: backupId,
      BackupConfigurationId: configId,
      CurrentState: "Completed",
      MachineAgentId: f.linux,
      IsEncrypted: false,
    });
  },
  async listCompletedBackups(f) {
    const { configId, backupId } = await completedBackup(f);
    const second = await f.runBackup(configId);
    const res = await f.c("GET", `/backup/completed/${configId}`);
    expect(res.status).toBe(200);
    expect(ids(res.body, "BackupId")).toEqual([second, backupId]);
  },
  async getBackupReport(f) {
    const { backupId } = await completedBackup(f);
    const res = await f.c("GET", `/backup/report/${backupId}`);
    expect(res.status).toBe(200);
    // /var/www/html without uploads/: five small files.
    expect(res.body).toMatchObject({
      BackupId: backupId,
      State: "Completed",
      CanRestore: true,
      FilesSearched: "5",
      FilesBackedUp: "5",
      NumErrors: 0,
      ErrorList: [],
    });
  },
  async createRestore(f) {
    const { backupId } = await completedBackup(f);
    const res = await f.c("PUT", "/restore", {
      body: {
        BackupId: backupId,
        BackupMachineId: f.linux,
        DestinationMachineId: f.windows,
        DestinationPath: "D:\\Restored",
        OverwriteFiles: false,
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      BackupId: backupId,
      BackupMachineId: f.linux,
      DestinationMachineId: f.windows,
      DestinationPath: "D:\\Restored",
      RestoreStateId: 0,
      Inclusions: [],
      Exclusions: [],
    });
    expect(res.body.PublicKey).toEqual(await f.publicKey(f.windows));
  },
  async updateRestore(f) {
    const { configId, backupId } = await completedBackup(f);
    const restoreId = await f.createRestore(backupId);
    const res = await f.c("POST", "/restore", { body: updateRestoreBody(f, restoreId, backupId, configId) });
    expect(res.status).toBe(204);
    expect((await f.c("GET", `/restore/${restoreId}`)).body).toMatchObject({
      DestinationPath: "/elsewhere",
      OverwriteFiles: true,
      RestoreStateId: 0,
    });
  },
  async addRestoreFile(f) {
    const { backupId } = await completedBackup(f);
    const restoreId = await f.createRestore(backupId);
    const res = await f.c("PUT", "/restore/files", {
      body: { FilePath: "/var/www/html/index.html", Filter: "1", ParentId: restoreId, FileItemType: "0" },
    });
    expect(res.status).toBe(200);
    expect((await f.c("GET", `/restore/files/${restoreId}`)).body).toMatchObject([
      { FilePath: "/var/www/html/index.html", Filter: 1, FileItemType: 0, RestoreId: restoreId },
    ]);
  },
  async listRestoreFiles(f) {
    const { backupId } = await completedBackup(f);
    const restoreId = await f.createRestore(backupId);
    await f.c("PUT", "/restore/files", {
      body: { FilePath: "/var/www/html", Filter: "Include", ParentId: restoreId, FileItemType: "Folder" },
    });
    await f.c("PUT", "/restore/files", { body: { FilePath: "/var/www/html/app.js", Filter: 2, ParentId: restoreId, FileItemType: 0 } });
    const res = await f.c("GET", `/restore/files/${restoreId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject([
      { FilePath: "/var/www/html", Filter: 1, FileItemType: 1, RestoreId: restoreId },
      { FilePath: "/var/www/html/app.js", Filter: 2, FileItemType: 0, RestoreId: restoreId },
    ]);
    expect(new Set(ids(res.body, "FileId")).size).toBe(2);
  },
  async deleteRestoreFile(f) {
    const { backupId } = await completedBackup(f);
    const restoreId = await f.createRestore(backupId);
    await f.c("PUT", "/restore/files", { body: { FilePath: "/var/www/html", Filter: 1, ParentId: restoreId, FileItemType: 1 } });
    const fileId = (await f.c("GET", `/restore/files/${restoreId}`)).body[0].FileId;
    const res = await f.c("DELETE", `/restore/files/${fileId}`);
    expect([200, 204]).toContain(res.status);
    expect((await f.c("GET", `/restore/files/${restoreId}`)).body).toEqual([]);
    // The restore itself stays.
    expect((await f.c("GET", `/restore/${restoreId}`)).status).toBe(200);
  },
  async listBackupsAvailableForRestore(f) {
    const { configId, backupId } = await completedBackup(f);
    const res = await f.c("GET", "/backup/availableforrestore");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject([{ BackupConfigurationId: configId, MachineAgentId: f.linux, IsEncrypted: false }]);
    const report = (await f.c("GET", `/backup/report/${backupId}`)).body;
    expect(res.body[0].LastSuccessfulBackupTime).toBe(report.CompletedTime);
  },
  async requestRestoreAction(f) {
    const { backupId } = await completedBackup(f);
    const restoreId = await f.createRestore(backupId);
    expect((await f.c("POST", "/restore/action-requested", { body: { Action: "StartManual", Id: restoreId } })).status).toBe(204);
    expect((await f.c("GET", `/restore/${restoreId}`)).body.RestoreStateId).toBe(6);
    await f.advance(8);
    expect((await f.c("POST", "/restore/action-requested", { body: { Action: "StopManual", Id: restoreId } })).status).toBe(204);
    expect((await f.c("GET", `/restore/${restoreId}`)).body.RestoreStateId).toBe(7);
  },
  async getRestore(f) {
    const { backupId, configId } = await completedBackup(f);
    const restoreId = await f.createRestore(backupId);
    const res = await f.c("GET", `/restore/${restoreId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      RestoreId: restoreId,
      BackupId: backupId,
      BackupConfigurationId: configId,
      RestoreStateId: 0,
      EncryptedPassword: null,
      BackupFlavor: "RaxCloudServer",
    });
    expect(res.body.PublicKey).toEqual(await f.publicKey(f.linux));
  },
  async getRestoreReport(f) {
    const { restoreId } = await startedRestore(f);
    await f.advance(120);
    const res = await f.c("GET", `/restore/report/${restoreId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ State: "Completed", NumFilesRestored: "1", NumErrors: "0", RestoreDestinationMachineId: f.linux });
  },
  async listAgentActivity(f) {
    const { backupId } = await completedBackup(f);
    const res = await f.c("GET", `/system/activity/${f.linux}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject([{ ID: backupId, Type: "Backup", CurrentState: "Completed", SourceMachineAgentId: f.linux }]);
    expect((await f.c("GET", `/system/activity/${f.windows}`)).body).toEqual([]);
  },
  async listActivity(f) {
    const { restoreId, backupId } = await startedRestore(f);
    const res = await f.c("GET", "/activity");
    expect(res.status).toBe(200);
    expect(res.body.map((a: any) => `${a.Type} ${a.ID}`)).toEqual([`Restore ${restoreId}`, `Backup ${backupId}`]);
  },
} satisfies Record<OperationId, Case>;

describe("success paths", () => {
  it("cover exactly the operations of the spec", () => {
    expect(Object.keys(success).sort()).toEqual(operations.map((op) => op.operationId).sort());
  });
  it.each(Object.entries(success) as Array<[OperationId, Case]>)("%s", async (_id, run) => {
    await run(await tenantFixture());
  });
});

// ---------------------------------------------------------------------------------------- errors

interface ErrorCase {
  op: OperationId;
  status: 400 | 403 | 404 | 409;
  given: string;
  send: (f: TenantFixture) => Promise<Answer>;
  /** A substring of `detail`. */
  detail?: string;
  /** Checks after the call (for example that nothing changed). */
  then?: (f: TenantFixture) => Promise<void>;
}

const badTenant = (op: OperationId): ErrorCase => {
  const info = operations.find((o) => o.operationId === op)!;
  return {
    op,
    status: 400,
    given: "the tenant id in the path has a dot",
    send: (f) => f.call(info.method, fillPath(info.path, { tenant_id: "bad.tenant" }), { token: f.token }),
    detail: "tenant_id",
  };
};

const errorCases: ErrorCase[] = [
  // -------------------------------------------------------------------- 400
  {
    op: "getAgent",
    status: 400,
    given: "the id is not an integer",
    send: (f) => f.c("GET", "/agent/abc"),
    detail: "machineAgentId must be integer",
  },
  {
    op: "updateAgentBackupBehavior",
    status: 400,
    given: "UseServiceNet is a string",
    send: (f) => f.c("POST", `/agent/${f.linux}`, { body: { UseServiceNet: "true" } }),
    detail: "UseServiceNet must be boolean",
  },
  {
    op: "updateAgentBackupBehavior",
    status: 400,
    given: "the account has no server in BackupDataCenter",
    send: (f) => f.c("POST", `/agent/${f.linux}`, { body: { UseServiceNet: true, BackupDataCenter: "LON" } }),
    detail: "LON",
  },
  {
    op: "enableAgent",
    status: 400,
    given: "Enable is missing",
    send: (f) => f.c("POST", "/agent/enable", { body: { MachineAgentId: f.linux } }),
    detail: "Enable is required",
  },
  {
    op: "enableVolumeEncryption",
    status: 400,
    given: "the passphrase is encrypted with another agent's key",
    send: async (f) =>
      f.c("POST", "/agent/encrypt", {
        body: { MachineAgentId: f.linux, EncryptedPasswordHex: encryptPassphrase(await f.publicKey(f.windows), "x") },
      }),
    detail: "not a passphrase encrypted",
    then: async (f) => expect((await f.c("GET", `/agent/${f.linux}`)).body.IsEncrypted).toBe(false),
  },
  {
    op: "changeEncryptionPassword",
    status: 400,
    given: "the old passphrase does not match",
    send: async (f) => {
      await encrypt(f, f.linux, "right");
      const key = await f.publicKey(f.linux);
      return f.c("POST", "/agent/changeencryption", {
        body: {
          MachineAgentId: f.linux,
          OldEncryptedPasswordHex: encryptPassphrase(key, "wrong"),
          NewEncryptedPasswordHex: encryptPassphrase(key, "new"),
        },
      });
    },
    detail: "does not match",
  },
  {
    op: "deleteAgent",
    status: 400,
    given: "MachineAgentId is 0",
    send: (f) => f.c("POST", "/agent/delete", { body: { MachineAgentId: 0 } }),
    detail: "MachineAgentId must be >= 1",
  },
  {
    op: "migrateVault",
    status: 400,
    given: "source and destination are the same agent",
    send: (f) => f.c("PUT", "/agent/migratevault", { body: { SourceMachineAgentId: f.linux, DestinationMachineAgentId: f.linux } }),
    detail: "different agent",
  },
  {
    op: "getAgentByHostServer",
    status: 400,
    given: "the host server id is not a UUID",
    send: (f) => f.c("GET", "/agent/server/12345"),
    detail: "hostServerId must be a valid uuid",
  },
  {
    op: "changeAgentLogLevel",
    status: 400,
    given: "LoggingLevelId is 8 (form)",
    send: (f) =>
      f.c("PUT", "/agent/logging", { raw: `MachineAgentId=${f.linux}&LoggingLevelId=8`, contentType: "application/x-www-form-urlencoded" }),
  },
  {
    op: "changeAgentLogLevel",
    status: 400,
    given: "LoggingLevelId is 0 (JSON)",
    send: (f) => f.c("PUT", "/agent/logging", { body: { MachineAgentId: f.linux, LoggingLevelId: 0 } }),
    detail: "LoggingLevelId must be >= 1",
  },
  badTenant("listAgents"),
  badTenant("wakeAgents"),
  badTenant("listBackupConfigurations"),
  badTenant("listBackupsAvailableForRestore"),
  badTenant("listActivity"),
  {
    op: "createBackupConfiguration",
    status: 400,
    given: "VersionRetention is 45",
    send: (f) => f.c("POST", "/backup-configuration", { body: weeklyConfig(f.linux, { VersionRetention: 45 }) }),
    detail: "VersionRetention must be one of 0, 30, 60",
  },
  {
    op: "getBackupConfiguration",
    status: 400,
    given: "the id is 0",
    send: (f) => f.c("GET", "/backup-configuration/0"),
    detail: "backupConfigurationId must be >= 1",
  },
  {
    op: "updateBackupConfiguration",
    status: 400,
    given: "MachineAgentId names another agent",
    send: async (f) => f.c("PUT", `/backup-configuration/${await f.createConfig()}`, { body: manualConfig(f.windows) }),
    detail: "migrateVault",
  },
  {
    op: "deleteBackupConfiguration",
    status: 400,
    given: "the id is negative",
    send: (f) => f.c("DELETE", "/backup-configuration/-3"),
    detail: ">= 1",
  },
  {
    op: "listAgentBackupConfigurations",
    status: 400,
    given: "the id is not an integer",
    send: (f) => f.c("GET", "/backup-configuration/system/abc"),
    detail: "must be integer",
  },
  {
    op: "enableBackupConfiguration",
    status: 400,
    given: 'Enable is the string "true"',
    send: async (f) => f.c("POST", `/backup-configuration/enable/${await f.createConfig()}`, { body: { Enable: "true" } }),
    detail: "Enable must be boolean",
  },
  {
    op: "requestBackupAction",
    status: 400,
    given: "Action is Pause",
    send: (f) => f.c("POST", "/backup/action-requested", { body: { Action: "Pause", Id: 1 } }),
    detail: "Action must be one of",
  },
  {
    op: "getBackup",
    status: 400,
    given: "the id has a fraction",
    send: (f) => f.c("GET", "/backup/1.5"),
    detail: "backupId must be integer",
  },
  {
    op: "listCompletedBackups",
    status: 400,
    given: "the id is beyond int32",
    send: (f) => f.c("GET", "/backup/completed/2147483648"),
    detail: "<= 2147483647",
  },
  {
    op: "getBackupReport",
    status: 400,
    given: "the id is hexadecimal (0x10)",
    send: (f) => f.c("GET", "/backup/report/0x10"),
    detail: "backupId must be integer",
  },
  {
    op: "createRestore",
    status: 400,
    given: "DestinationPath is relative",
    send: async (f) =>
      f.c("PUT", "/restore", {
        body: {
          BackupId: (await completedBackup(f)).backupId,
          BackupMachineId: f.linux,
          DestinationMachineId: f.linux,
          DestinationPath: "restored",
          OverwriteFiles: false,
        },
      }),
    detail: "DestinationPath must be an absolute",
  },
  {
    op: "createRestore",
    status: 400,
    given: "the backup has not finished",
    send: async (f) =>
      f.c("PUT", "/restore", {
        body: {
          BackupId: await f.runBackup(await f.createConfig(), 0),
          BackupMachineId: f.linux,
          DestinationMachineId: f.linux,
          DestinationPath: "/r",
          OverwriteFiles: false,
        },
      }),
    detail: "BackupId is not a completed backup",
  },
  {
    op: "updateRestore",
    status: 400,
    given: "BackupId is not the restore's backup",
    send: async (f) => {
      const { configId, backupId } = await completedBackup(f);
      const restoreId = await f.createRestore(backupId);
      return f.c("POST", "/restore", { body: updateRestoreBody(f, restoreId, backupId + 1, configId) });
    },
    detail: "BackupId must be the restore's backup",
  },
  {
    op: "addRestoreFile",
    status: 400,
    given: "Filter is 3",
    send: async (f) =>
      f.c("PUT", "/restore/files", {
        body: { FilePath: "/etc", Filter: 3, ParentId: await f.createRestore((await completedBackup(f)).backupId), FileItemType: 1 },
      }),
    detail: "Filter must be one of",
  },
  {
    op: "listRestoreFiles",
    status: 400,
    given: "the id is in exponent form (1e3)",
    send: (f) => f.c("GET", "/restore/files/1e3"),
    detail: "restoreId must be integer",
  },
  {
    op: "deleteRestoreFile",
    status: 400,
    given: "the id is 0",
    send: (f) => f.c("DELETE", "/restore/files/0"),
    detail: "restoreId must be >= 1",
  },
  {
    op: "requestRestoreAction",
    status: 400,
    given: "Id is missing",
    send: (f) => f.c("POST", "/restore/action-requested", { body: { Action: "StartManual" } }),
    detail: "Id is required",
  },
  {
    op: "getRestore",
    status: 400,
    given: "the id has a leading space",
    send: (f) => f.c("GET", "/restore/%205"),
    detail: "restoreId must be integer",
  },
  {
    op: "getRestoreReport",
    status: 400,
    given: "the id is not an integer",
    send: (f) => f.c("GET", "/restore/report/abc"),
    detail: "restoreId must be integer",
  },
  {
    op: "listAgentActivity",
    status: 400,
    given: "the id is negative",
    send: (f) => f.c("GET", "/system/activity/-1"),
    detail: "agentId must be >= 1",
  },

  // -------------------------------------------------------------------- 403 (beyond tokens: the agent cannot act now)
  {
    op: "requestBackupAction",
    status: 403,
    given: "the agent has gone idle (Offline)",
    send: async (f) => {
      const id = await f.createConfig();
      await f.advance(31 * 60);
      expect((await f.c("GET", `/agent/${f.linux}`)).body.Status).toBe("Offline");
      return f.c("POST", "/backup/action-requested", { body: { Action: "StartManual", Id: id } });
    },
    detail: "not online",
    then: async (f) => expect((await f.c("GET", "/activity")).body).toEqual([]),
  },
  {
    op: "requestRestoreAction",
    status: 403,
    given: "the destination agent has gone idle (Offline)",
    send: async (f) => {
      const restoreId = await f.createRestore((await completedBackup(f)).backupId, {
        DestinationMachineId: f.windows,
        DestinationPath: "C:\\r",
      });
      await f.advance(31 * 60);
      return f.c("POST", "/restore/action-requested", { body: { Action: "StartManual", Id: restoreId } });
    },
    detail: "not online",
  },

  // -------------------------------------------------------------------- 404: unknown ids and tenant 1234's ids
  { op: "getAgent", status: 404, given: "the agent does not exist", send: (f) => f.c("GET", "/agent/999999") },
  { op: "getAgent", status: 404, given: "the agent is another tenant's", send: (f) => f.c("GET", "/agent/213564") },
  {
    op: "updateAgentBackupBehavior",
    status: 404,
    given: "the agent is another tenant's",
    send: (f) => f.c("POST", "/agent/213564", { body: { UseServiceNet: false } }),
    then: async (f) => expect((await f.call("GET", "/v1.0/1234/agent/213564")).body.UseServiceNet).toBe(true),
  },
  {
    op: "enableAgent",
    status: 404,
    given: "the agent does not exist",
    send: (f) => f.c("POST", "/agent/enable", { body: { MachineAgentId: 999999, Enable: false } }),
  },
  {
    op: "enableAgent",
    status: 404,
    given: "the agent is another tenant's",
    send: (f) => f.c("POST", "/agent/enable", { body: { MachineAgentId: 213564, Enable: false } }),
    then: async (f) => expect((await f.call("GET", "/v1.0/1234/agent/213564")).body.IsDisabled).toBe(false),
  },
  {
    op: "enableVolumeEncryption",
    status: 404,
    given: "the agent does not exist",
    send: (f) => f.c("POST", "/agent/encrypt", { body: { MachineAgentId: 999999, EncryptedPasswordHex: "abcd" } }),
  },
  {
    op: "enableVolumeEncryption",
    status: 404,
    given: "the agent is another tenant's",
    send: async (f) =>
      f.c("POST", "/agent/encrypt", {
        body: {
          MachineAgentId: 213564,
          EncryptedPasswordHex: encryptPassphrase((await f.call("GET", "/v1.0/1234/agent/213564")).body.PublicKey, "x"),
        },
      }),
    then: async (f) => expect((await f.call("GET", "/v1.0/1234/agent/213564")).body.IsEncrypted).toBe(false),
  },
  {
    op: "changeEncryptionPassword",
    status: 404,
    given: "the agent is another tenant's",
    send: (f) =>
      f.c("POST", "/agent/changeencryption", {
        body: { MachineAgentId: 95874, OldEncryptedPasswordHex: "ab", NewEncryptedPasswordHex: "cd" },
      }),
  },
  {
    op: "deleteAgent",
    status: 404,
    given: "the agent does not exist",
    send: (f) => f.c("POST", "/agent/delete", { body: { MachineAgentId: 999999 } }),
  },
  {
    op: "deleteAgent",
    status: 404,
    given: "the agent is another tenant's",
    send: (f) => f.c("POST", "/agent/delete", { body: { MachineAgentId: 213564 } }),
    then: async (f) => expect((await f.call("GET", "/v1.0/1234/agent/213564")).status).toBe(200),
  },
  {
    op: "migrateVault",
    status: 404,
    given: "the source does not exist",
    send: (f) => f.c("PUT", "/agent/migratevault", { body: { SourceMachineAgentId: 999999, DestinationMachineAgentId: f.linux } }),
  },
  {
    op: "migrateVault",
    status: 404,
    given: "the destination is another tenant's agent",
    send: (f) => f.c("PUT", "/agent/migratevault", { body: { SourceMachineAgentId: f.linux, DestinationMachineAgentId: 213563 } }),
  },
  {
    op: "getAgentByHostServer",
    status: 404,
    given: "no agent runs on the host",
    send: (f) => f.c("GET", "/agent/server/00000000-0000-4000-8000-000000000000"),
  },
  {
    op: "getAgentByHostServer",
    status: 404,
    given: "the host is another tenant's",
    send: (f) => f.c("GET", "/agent/server/87c3b6e1-fb1a-41f9-91e5-313ae35a5a06"),
  },
  {
    op: "changeAgentLogLevel",
    status: 404,
    given: "the agent is another tenant's (form)",
    send: (f) =>
      f.c("PUT", "/agent/logging", { raw: "MachineAgentId=213564&LoggingLevelId=6", contentType: "application/x-www-form-urlencoded" }),
  },
  {
    op: "createBackupConfiguration",
    status: 404,
    given: "the agent is another tenant's",
    send: (f) => f.c("POST", "/backup-configuration", { body: manualConfig(202743) }),
    detail: "202743",
  },
  {
    op: "getBackupConfiguration",
    status: 404,
    given: "the configuration does not exist",
    send: (f) => f.c("GET", "/backup-configuration/999999"),
  },
  {
    op: "getBackupConfiguration",
    status: 404,
    given: "the configuration is another tenant's",
    send: (f) => f.c("GET", "/backup-configuration/180000"),
  },
  {
    op: "updateBackupConfiguration",
    status: 404,
    given: "the configuration is another tenant's",
    send: (f) => f.c("PUT", "/backup-configuration/180000", { body: manualConfig(f.linux) }),
    then: async (f) => expect((await f.call("GET", "/v1.0/1234/backup-configuration/180000")).body.Frequency).toBe("Weekly"),
  },
  {
    op: "updateBackupConfiguration",
    status: 404,
    given: "the configuration is deleted",
    send: async (f) => {
      const id = await f.createConfig();
      await f.c("DELETE", `/backup-configuration/${id}`);
      return f.c("PUT", `/backup-configuration/${id}`, { body: manualConfig(f.linux) });
    },
  },
  {
    op: "deleteBackupConfiguration",
    status: 404,
    given: "the configuration is another tenant's",
    send: (f) => f.c("DELETE", "/backup-configuration/180000"),
    then: async (f) => expect((await f.call("GET", "/v1.0/1234/backup-configuration/180000")).body.IsDeleted).toBe(false),
  },
  {
    op: "listAgentBackupConfigurations",
    status: 404,
    given: "the agent is another tenant's",
    send: (f) => f.c("GET", "/backup-configuration/system/202743"),
  },
  {
    op: "enableBackupConfiguration",
    status: 404,
    given: "the configuration is another tenant's",
    send: (f) => f.c("POST", "/backup-configuration/enable/180000", { body: { Enable: false } }),
    then: async (f) => expect((await f.call("GET", "/v1.0/1234/backup-configuration/180000")).body.IsActive).toBe(true),
  },
  {
    op: "requestBackupAction",
    status: 404,
    given: "StartManual names another tenant's configuration",
    send: (f) => f.c("POST", "/backup/action-requested", { body: { Action: "StartManual", Id: 180002 } }),
  },
  {
    op: "requestBackupAction",
    status: 404,
    given: "StopManual names a backup that does not exist",
    send: (f) => f.c("POST", "/backup/action-requested", { body: { Action: "StopManual", Id: 999999 } }),
  },
  { op: "getBackup", status: 404, given: "the backup is another tenant's", send: (f) => f.c("GET", "/backup/400000") },
  {
    op: "listCompletedBackups",
    status: 404,
    given: "the configuration is another tenant's",
    send: (f) => f.c("GET", "/backup/completed/180002"),
  },
  { op: "getBackupReport", status: 404, given: "the backup does not exist", send: (f) => f.c("GET", "/backup/report/999999") },
  {
    op: "createRestore",
    status: 404,
    given: "the backup is another tenant's",
    send: async (f) => {
      const backupId = (await f.call("GET", "/v1.0/1234/backup/completed/180002")).body[0].BackupId;
      return f.c("PUT", "/restore", {
        body: { BackupId: backupId, BackupMachineId: 213564, DestinationMachineId: f.linux, DestinationPath: "/r", OverwriteFiles: false },
      });
    },
  },
  {
    op: "createRestore",
    status: 404,
    given: "the destination is another tenant's agent",
    send: async (f) =>
      f.c("PUT", "/restore", {
        body: {
          BackupId: (await completedBackup(f)).backupId,
          BackupMachineId: f.linux,
          DestinationMachineId: 213564,
          DestinationPath: "C:\\r",
          OverwriteFiles: false,
        },
      }),
  },
  {
    op: "updateRestore",
    status: 404,
    given: "the restore is another tenant's",
    send: (f) =>
      f.c("POST", "/restore", {
        body: {
          RestoreId: 20000,
          BackupId: 1,
          BackupMachineId: 1,
          DestinationMachineId: 1,
          OverwriteFiles: true,
          BackupConfigurationId: 1,
          DestinationPath: "/x",
          RestoreStateId: 0,
        },
      }),
  },
  {
    op: "addRestoreFile",
    status: 404,
    given: "the restore is another tenant's",
    send: async (f) =>
      f.c("PUT", "/restore/files", {
        body: { FilePath: "C:\\x", Filter: 1, ParentId: (await defaultWorldRestoreFile(f)).restoreId, FileItemType: 0 },
      }),
  },
  { op: "listRestoreFiles", status: 404, given: "the restore does not exist", send: (f) => f.c("GET", "/restore/files/999999") },
  {
    op: "deleteRestoreFile",
    status: 404,
    given: "the file belongs to another tenant's restore",
    send: async (f) => {
      const { restoreId, fileId } = await defaultWorldRestoreFile(f);
      const res = await f.c("DELETE", `/restore/files/${fileId}`);
      expect((await f.call("GET", `/v1.0/1234/restore/files/${restoreId}`)).body).toHaveLength(1);
      return res;
    },
  },
  {
    op: "deleteRestoreFile",
    status: 404,
    given: "the id is a restore id, not a file id",
    send: async (f) => f.c("DELETE", `/restore/files/${await f.createRestore((await completedBackup(f)).backupId)}`),
  },
  {
    op: "requestRestoreAction",
    status: 404,
    given: "the restore is another tenant's",
    send: (f) => f.c("POST", "/restore/action-requested", { body: { Action: "StartManual", Id: 20000 } }),
  },
  { op: "getRestore", status: 404, given: "the restore is another tenant's", send: (f) => f.c("GET", "/restore/20000") },
  { op: "getRestoreReport", status: 404, given: "the restore does not exist", send: (f) => f.c("GET", "/restore/report/999999") },
  { op: "listAgentActivity", status: 404, given: "the agent is another tenant's", send: (f) => f.c("GET", "/system/activity/213564") },

  // -------------------------------------------------------------------- 409
  {
    op: "createBackupConfiguration",
    status: 409,
    given: "the agent already has a configuration with that name",
    send: async (f) => {
      await f.createConfig(weeklyConfig(f.linux));
      return f.c("POST", "/backup-configuration", { body: weeklyConfig(f.linux, { Frequency: "Daily", DayOfWeekId: null }) });
    },
    detail: "already has a configuration named",
    then: async (f) => expect((await f.c("GET", "/backup-configuration")).body).toHaveLength(1),
  },
  {
    op: "enableVolumeEncryption",
    status: 409,
    given: "the agent is already encrypted",
    send: async (f) => {
      await encrypt(f, f.linux, "first");
      return f.c("POST", "/agent/encrypt", {
        body: { MachineAgentId: f.linux, EncryptedPasswordHex: encryptPassphrase(await f.publicKey(f.linux), "second") },
      });
    },
    detail: "already encrypted",
  },
  {
    op: "changeEncryptionPassword",
    status: 409,
    given: "the agent is not encrypted",
    send: async (f) => {
      const key = await f.publicKey(f.linux);
      return f.c("POST", "/agent/changeencryption", {
        body: {
          MachineAgentId: f.linux,
          OldEncryptedPasswordHex: encryptPassphrase(key, "a"),
          NewEncryptedPasswordHex: encryptPassphrase(key, "b"),
        },
      });
    },
    detail: "not encrypted",
    then: async (f) => expect((await f.c("GET", `/agent/${f.linux}`)).body.IsEncrypted).toBe(false),
  },
  {
    op: "migrateVault",
    status: 409,
    given: "the destination has configurations",
    send: async (f) => {
      await f.createConfig();
      await f.createConfig(manualConfig(f.windows, { Inclusions: [{ FilePath: "C:\\Websites", FileItemType: "Folder" }], Exclusions: [] }));
      return f.c("PUT", "/agent/migratevault", { body: { SourceMachineAgentId: f.linux, DestinationMachineAgentId: f.windows } });
    },
    detail: "already has backup configurations",
    then: async (f) => expect((await f.c("GET", `/backup-configuration/system/${f.linux}`)).body).toHaveLength(1),
  },
  {
    op: "migrateVault",
    status: 409,
    given: "the destination is encrypted",
    send: async (f) => {
      await f.createConfig();
      await encrypt(f, f.windows, "p");
      return f.c("PUT", "/agent/migratevault", { body: { SourceMachineAgentId: f.linux, DestinationMachineAgentId: f.windows } });
    },
    detail: "encrypted",
  },
  {
    op: "migrateVault",
    status: 409,
    given: "the source is encrypted",
    send: async (f) => {
      await encrypt(f, f.linux, "p");
      return f.c("PUT", "/agent/migratevault", { body: { SourceMachineAgentId: f.linux, DestinationMachineAgentId: f.windows } });
    },
    detail: "encrypted",
  },
  {
    op: "requestBackupAction",
    status: 409,
    given: "the configuration is disabled",
    send: async (f) => {
      const id = await f.createConfig();
      await f.c("POST", `/backup-configuration/enable/${id}`, { body: { Enable: false } });
      return f.c("POST", "/backup/action-requested", { body: { Action: "StartManual", Id: id } });
    },
    detail: "disabled",
    then: async (f) => expect((await f.c("GET", "/activity")).body).toEqual([]),
  },
  {
    op: "requestBackupAction",
    status: 409,
    given: "the configuration is deleted",
    send: async (f) => {
      const id = await f.createConfig();
      await f.c("DELETE", `/backup-configuration/${id}`);
      return f.c("POST", "/backup/action-requested", { body: { Action: "StartManual", Id: id } });
    },
    detail: "deleted",
  },
  {
    op: "requestBackupAction",
    status: 409,
    given: "the agent is disabled",
    send: async (f) => {
      const id = await f.createConfig();
      await f.c("POST", "/agent/enable", { body: { MachineAgentId: f.linux, Enable: false } });
      return f.c("POST", "/backup/action-requested", { body: { Action: "StartManual", Id: id } });
    },
    detail: "disabled",
  },
  {
    op: "requestBackupAction",
    status: 409,
    given: "the previous run is still going",
    send: async (f) => {
      const id = await f.createConfig();
      await f.runBackup(id, 3);
      return f.c("POST", "/backup/action-requested", { body: { Action: "StartManual", Id: id } });
    },
    detail: "already running",
    then: async (f) => expect((await f.c("GET", "/activity")).body).toHaveLength(1),
  },
  {
    op: "requestBackupAction",
    status: 409,
    given: "StopManual names a finished backup",
    send: async (f) => f.c("POST", "/backup/action-requested", { body: { Action: "StopManual", Id: (await completedBackup(f)).backupId } }),
    detail: "Completed",
  },
  {
    op: "requestBackupAction",
    status: 409,
    given: "StopManual names a backup already asked to stop",
    send: async (f) => {
      const backupId = await f.runBackup(await f.createConfig(), 5);
      expect((await f.c("POST", "/backup/action-requested", { body: { Action: "StopManual", Id: backupId } })).status).toBe(204);
      return f.c("POST", "/backup/action-requested", { body: { Action: "StopManual", Id: backupId } });
    },
    detail: "StopRequested",
  },
  {
    op: "updateRestore",
    status: 409,
    given: "the restore has started",
    send: async (f) => {
      const { restoreId, backupId, configId } = await startedRestore(f);
      return f.c("POST", "/restore", { body: updateRestoreBody(f, restoreId, backupId, configId) });
    },
    detail: "only a restore in state 0",
    then: async (f) => {
      const restore = (await f.c("GET", "/activity")).body.find((a: any) => a.Type === "Restore");
      expect((await f.c("GET", `/restore/${restore.ID}`)).body.DestinationPath).toBe("/restored");
    },
  },
  {
    op: "addRestoreFile",
    status: 409,
    given: "the restore has started",
    send: async (f) =>
      f.c("PUT", "/restore/files", {
        body: { FilePath: "/etc", Filter: 1, ParentId: (await startedRestore(f)).restoreId, FileItemType: 1 },
      }),
    detail: "only a restore in state 0",
  },
  {
    op: "deleteRestoreFile",
    status: 409,
    given: "the restore has started",
    send: async (f) => f.c("DELETE", `/restore/files/${(await startedRestore(f)).fileId}`),
    detail: "only a restore in state 0",
  },
  {
    op: "requestRestoreAction",
    status: 409,
    given: "StartManual names a restore that has started",
    send: async (f) =>
      f.c("POST", "/restore/action-requested", { body: { Action: "StartManual", Id: (await startedRestore(f)).restoreId } }),
    detail: "already started",
  },
  {
    op: "requestRestoreAction",
    status: 409,
    given: "StopManual names a restore still in Creating",
    send: async (f) =>
      f.c("POST", "/restore/action-requested", {
        body: { Action: "StopManual", Id: await f.createRestore((await completedBackup(f)).backupId) },
      }),
    detail: "not running",
  },
  {
    op: "requestRestoreAction",
    status: 409,
    given: "StopManual names a finished restore",
    send: async (f) => {
      const { restoreId } = await startedRestore(f);
      await f.advance(600);
      return f.c("POST", "/restore/action-requested", { body: { Action: "StopManual", Id: restoreId } });
    },
    detail: "not running",
  },
];

/** Documented statuses no request can provoke (faults provoke 500 and 503: see tenancy.test.ts). */
const NOT_PROVOCABLE: Record<string, string> = {
  "listActivity 404": "the request names no resource",
  "listBackupConfigurations 404": "the request names no resource",
  "listBackupsAvailableForRestore 404": "the request names no resource",
};

describe("error statuses", () => {
  it.each(errorCases)("$op answers $status when $given", async ({ status, send, detail, then }) => {
    const f = await tenantFixture();
    const res = await send(f);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body.status).toBe(status);
    if (detail) expect(JSON.stringify(res.body), JSON.stringify(res.body)).toContain(detail);
    if (then) await then(f);
  });

  it("cover every 400, 404 and 409 an operation documents", () => {
    const missing: string[] = [];
    for (const op of operations) {
      for (const status of op.statuses.filter((s) => s === 400 || s === 404 || s === 409)) {
        const key = `${op.operationId} ${status}`;
        if (!errorCases.some((c) => c.op === op.operationId && c.status === status) && !NOT_PROVOCABLE[key]) missing.push(key);
      }
    }
    expect(missing).toEqual([]);
  });

  it("answer 401 to every operation without a token, with an unknown token and with an expired one", async () => {
    const f = await tenantFixture();
    const identity = await f.call("POST", "/v2.0/tokens", {
      token: null,
      body: { auth: { passwordCredentials: { username: "demo", password: "demo-password" } } },
    });
    expect(identity.status).toBe(200);
    const expiring = identity.body.access.token.id;
    expect((await f.call("GET", "/v1.0/1234/user/agents", { token: expiring })).status).toBe(200);
    await f.advance(24 * 3600);
    for (const op of operations) {
      for (const token of [null, "no-such-token", expiring]) {
        const res = await f.call(op.method, fillPath(op.path), { token, ...(op.requestMediaTypes.length ? { body: {} } : {}) });
        expect(res.status, `${op.operationId} with token ${token}`).toBe(401);
        expect(res.body.detail).toMatch(/token/i);
      }
    }
  });

  it("answer 403 to every operation on another tenant's path, and change nothing there", async () => {
    const f = await tenantFixture();
    const before = await Promise.all(
      ["/user/agents", "/backup-configuration", "/activity"].map(async (p) => (await f.call("GET", `/v1.0/1234${p}`)).body),
    );
    for (const op of operations) {
      const res = await f.call(op.method, fillPath(op.path), {
        token: f.token,
        ...(op.requestMediaTypes.length ? { body: { MachineAgentId: 213564, Enable: false } } : {}),
      });
      expect(res.status, op.operationId).toBe(403);
      expect(res.body.detail).toContain("1234");
    }
    const after = await Promise.all(
      ["/user/agents", "/backup-configuration", "/activity"].map(async (p) => (await f.call("GET", `/v1.0/1234${p}`)).body),
    );
    expect(after).toEqual(before);
  });

  it("answer 403 to an observer for every operation that changes something", async () => {
    const f = await tenantFixture({}, { roles: ["cloudBackup:observer"] });
    for (const op of operations) {
      const res = await f.call(op.method, fillPath(op.path, { tenant_id: f.tenant.tenantId, machineAgentId: f.linux, agentId: f.linux }), {
        token: f.token,
        ...(op.requestMediaTypes.length ? { body: {} } : {}),
      });
      if (op.method === "GET") expect(res.status, op.operationId).not.toBe(403);
      else expect(res.status, op.operationId).toBe(403);
    }
  });
});

describe("changeAgentLogLevel bodies", () => {
  it.each([
    {
      given: "form, as the reference documents",
      init: (id: number) => ({ raw: `MachineAgentId=${id}&LoggingLevelId=6`, contentType: "application/x-www-form-urlencoded" }),
      want: 6,
    },
    {
      given: "form with a charset",
      init: (id: number) => ({
        raw: `LoggingLevelId=5&MachineAgentId=${id}`,
        contentType: "application/x-www-form-urlencoded; charset=utf-8",
      }),
      want: 5,
    },
    { given: "JSON, as real clients send", init: (id: number) => ({ body: { MachineAgentId: id, LoggingLevelId: 7 } }), want: 7 },
  ])("accepts $given", async ({ init, want }) => {
    const f = await tenantFixture();
    const res = await f.c("PUT", "/agent/logging", init(f.linux));
    expect([200, 204]).toContain(res.status);
    expect(f.app.world.tenants.get(f.tenant.tenantId)!.agents.get(f.linux)!.logLevel).toBe(want);
  });

  it.each([
    {
      given: "a hexadecimal agent id",
      form: (id: number) => `MachineAgentId=0x${id.toString(16)}&LoggingLevelId=6`,
      pointer: "/MachineAgentId",
    },
    { given: "a level with a leading space", form: (id: number) => `MachineAgentId=${id}&LoggingLevelId=%206`, pointer: "/LoggingLevelId" },
    { given: "a level with a plus sign", form: (id: number) => `MachineAgentId=${id}&LoggingLevelId=%2B6`, pointer: "/LoggingLevelId" },
    { given: "a level written 6.0", form: (id: number) => `MachineAgentId=${id}&LoggingLevelId=6.0`, pointer: "/LoggingLevelId" },
    { given: "an empty level", form: (id: number) => `MachineAgentId=${id}&LoggingLevelId=`, pointer: "/LoggingLevelId" },
  ])("refuses a form with $given, and keeps the level", async ({ form, pointer }) => {
    const f = await tenantFixture();
    const res = await f.c("PUT", "/agent/logging", { raw: form(f.linux), contentType: "application/x-www-form-urlencoded" });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ in: "body", pointer, message: "must be integer" })]);
    expect(f.app.world.tenants.get(f.tenant.tenantId)!.agents.get(f.linux)!.logLevel).toBe(4);
  });

  it("names both fields of a bad form", async () => {
    const f = await tenantFixture();
    const res = await f.c("PUT", "/agent/logging", {
      raw: "MachineAgentId=abc&LoggingLevelId=9",
      contentType: "application/x-www-form-urlencoded",
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pointer: "/MachineAgentId", message: expect.stringContaining("integer") }),
        expect.objectContaining({ pointer: "/LoggingLevelId", message: expect.stringContaining("<= 7") }),
      ]),
    );
  });
});

describe("report and date formats", () => {
  it("answers Microsoft JSON dates that decode to the virtual clock", async () => {
    const f = await tenantFixture();
    const backupId = await f.runBackup(await f.createConfig(), 0);
    const report = (await f.c("GET", `/backup/report/${backupId}`)).body;
    const clock = (await f.call("GET", "/__admin/clock", { token: null })).body;
    expect(msOf(report.StartTime)).toBe(clock.now);
  });
});
