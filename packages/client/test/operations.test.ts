/**
 * Every operation of the API, called through its generated method against the reference
 * server in-process. The rows run in order and share state (a configuration created in one
 * row is started in the next); every answer also goes through the server's conformance checker.
 */
import { operations } from "@cloud-backup/spec";
import { beforeAll, describe, expect, it } from "vitest";
import { type BackupClient, encryptPassphrase, type OperationId, parseMsDate, type ResultOf } from "../src/index.js";
import { DEMO, inProcessServer, type NewTenant, weeklyConfig } from "./helpers.js";

interface Context {
  demo: BackupClient;
  fresh: BackupClient;
  tenant: NewTenant;
  advance: (seconds: number) => Promise<void>;
  configId: number;
  backupId: number;
  restoreId: number;
  restoreFileId: number;
  passphrase: string;
}

interface Row {
  operationId: OperationId;
  does: string;
  run: (ctx: Context) => Promise<void>;
}

/** A row whose result is typed by the operation, checked by `check`. */
function row<K extends OperationId, R extends ResultOf<K>>(
  operationId: K,
  does: string,
  call: (ctx: Context) => Promise<R>,
  check: (result: R, ctx: Context) => void,
): Row {
  return { operationId, does, run: (ctx) => call(ctx).then((result) => check(result, ctx)) };
}

const server = inProcessServer();
const ctx = {} as Context;

beforeAll(async () => {
  ctx.demo = server.client();
  ctx.tenant = await server.newTenant({ agents: 3 });
  ctx.fresh = server.client({ token: ctx.tenant.token, tenantId: ctx.tenant.tenantId });
  ctx.advance = server.advance;
});

const WEB = 213564;
const LINUX = 202743;

const rows: Row[] = [
  row(
    "listAgents",
    "lists the four demo agents",
    (c) => c.demo.listAgents(),
    (agents) => {
      expect(agents.map((a) => a.MachineAgentId).sort((a, b) => a - b)).toEqual([95874, 202743, 213563, 213564]);
    },
  ),
  row(
    "getAgent",
    "reads one agent",
    (c) => c.demo.getAgent({ machineAgentId: WEB }),
    (agent) => {
      expect(agent).toMatchObject({ MachineAgentId: WEB, MachineName: "Web Server", Status: "Online" });
    },
  ),
  row(
    "getAgentByHostServer",
    "finds an agent by its Cloud Servers id",
    (c) => c.demo.getAgentByHostServer({ hostServerId: "87c3b6e1-fb1a-41f9-91e5-313ae35a5a06" }),
    (agent) => {
      expect(agent.MachineAgentId).toBe(WEB);
    },
  ),
  row(
    "updateAgentBackupBehavior",
    "turns ServiceNet off and answers the agent",
    (c) => c.demo.updateAgentBackupBehavior({ machineAgentId: LINUX, body: { UseServiceNet: false } }),
    (agent) => {
      expect(agent).toMatchObject({ MachineAgentId: LINUX, UseServiceNet: false });
    },
  ),
  row(
    "changeAgentLogLevel",
    "sets the log level with a JSON body",
    (c) => c.demo.changeAgentLogLevel({ body: { MachineAgentId: LINUX, LoggingLevelId: 5 } }),
    (result) => {
      expect(result).toBeUndefined();
    },
  ),
  row(
    "wakeAgents",
    "wakes the account's agents",
    (c) => c.demo.wakeAgents(),
    (result) => {
      expect(result).toBeUndefined();
    },
  ),
  row(
    "listBackupConfigurations",
    "lists the three demo configurations",
    (c) => c.demo.listBackupConfigurations(),
    (configs) => {
      expect(configs).toHaveLength(3);
    },
  ),
  row(
    "createBackupConfiguration",
    "creates a weekly configuration and answers it",
    (c) => c.demo.createBackupConfiguration({ body: weeklyConfig(LINUX) }),
    (config, c) => {
      expect(config).toMatchObject({ MachineAgentId: LINUX, BackupConfigurationName: "Client Weekly Backup", Frequency: "Weekly" });
      c.configId = config.BackupConfigurationId;
    },
  ),
  row(
    "getBackupConfiguration",
    "reads the new configuration",
    (c) => c.demo.getBackupConfiguration({ backupConfigurationId: c.configId }),
    (config) => {
      expect(config.BackupConfigurationName).toBe("Client Weekly Backup");
      expect(parseMsDate(config.NextScheduledRunTime)).toBeInstanceOf(Date);
    },
  ),
  row(
    "updateBackupConfiguration",
    "renames the configuration",
    (c) =>
      c.demo.updateBackupConfiguration({ backupConfigurationId: c.configId, body: weeklyConfig(LINUX, "Client Weekly Backup (renamed)") }),
    (result) => {
      expect(result).toBeUndefined();
    },
  ),
  row(
    "listAgentBackupConfigurations",
    "lists the agent's configurations with the renamed one",
    (c) => c.demo.listAgentBackupConfigurations({ machineAgentId: LINUX }),
    (configs, c) => {
      expect(configs.find((x) => x.BackupConfigurationId === c.configId)?.BackupConfigurationName).toBe("Client Weekly Backup (renamed)");
    },
  ),
  row(
    "enableBackupConfiguration",
    "disables the configuration and answers it",
    (c) => c.demo.enableBackupConfiguration({ backupConfigurationId: c.configId, body: { Enable: false } }),
    (config) => {
      expect(config.IsActive).toBe(false);
    },
  ),
  row(
    "requestBackupAction",
    "starts a manual backup and answers its id as a number",
    async (c) => {
      await c.demo.enableBackupConfiguration({ backupConfigurationId: c.configId, body: { Enable: true } });
      return c.demo.requestBackupAction({ body: { Action: "StartManual", Id: c.configId } });
    },
    (backupId, c) => {
      expect(typeof backupId).toBe("number");
      c.backupId = backupId!;
    },
  ),
  row(
    "getBackup",
    "reads the running backup",
    (c) => c.demo.getBackup({ backupId: c.backupId }),
    (backup, c) => {
      expect(backup).toMatchObject({ BackupId: c.backupId, CurrentState: "StartRequested" });
    },
  ),
  row(
    "listCompletedBackups",
    "lists the backup once it has completed",
    async (c) => {
      await c.advance(3600);
      return c.demo.listCompletedBackups({ backupConfigurationId: c.configId });
    },
    (backups, c) => {
      expect(backups.map((b) => b.BackupId)).toContain(c.backupId);
    },
  ),
  row(
    "getBackupReport",
    "reads the backup's report",
    (c) => c.demo.getBackupReport({ backupId: c.backupId }),
    (report, c) => {
      expect(report).toMatchObject({ BackupId: c.backupId, CanRestore: true });
    },
  ),
  row(
    "listBackupsAvailableForRestore",
    "lists the configuration as restorable",
    (c) => c.demo.listBackupsAvailableForRestore(),
    (list, c) => {
      expect(list.map((b) => b.BackupConfigurationId)).toContain(c.configId);
    },
  ),
  row(
    "createRestore",
    "prepares a restore in state 0",
    (c) =>
      c.demo.createRestore({
        body: {
          BackupId: c.backupId,
          BackupMachineId: LINUX,
          DestinationMachineId: LINUX,
          DestinationPath: "/restored",
          OverwriteFiles: false,
        },
      }),
    (restore, c) => {
      expect(restore.RestoreStateId).toBe(0);
      c.restoreId = restore.RestoreId;
    },
  ),
  row(
    "updateRestore",
    "moves the restore to the Windows agent",
    (c) =>
      c.demo.updateRestore({
        body: {
          RestoreId: c.restoreId,
          BackupId: c.backupId,
          BackupMachineId: LINUX,
          DestinationMachineId: WEB,
          DestinationPath: "C:\\Restored",
          OverwriteFiles: false,
          BackupConfigurationId: c.configId,
          RestoreStateId: 0,
        },
      }),
    (result) => {
      expect(result).toBeUndefined();
    },
  ),
  row(
    "addRestoreFile",
    "includes a folder in the restore",
    (c) => c.demo.addRestoreFile({ body: { FilePath: "/var/www/html", Filter: 1, ParentId: c.restoreId, FileItemType: "Folder" } }),
    (result) => {
      expect(result).toBeUndefined();
    },
  ),
  row(
    "listRestoreFiles",
    "lists the included folder",
    (c) => c.demo.listRestoreFiles({ restoreId: c.restoreId }),
    (files, c) => {
      expect(files).toHaveLength(1);
      expect(files[0]).toMatchObject({ FilePath: "/var/www/html", Filter: 1, FileItemType: 1 });
      c.restoreFileId = files[0]!.FileId!;
    },
  ),
  row(
    "deleteRestoreFile",
    "removes the folder again by its file id",
    (c) => c.demo.deleteRestoreFile({ restoreId: c.restoreFileId }),
    (result) => {
      expect(result).toBeUndefined();
    },
  ),
  row(
    "requestRestoreAction",
    "starts the restore once the destination is awake",
    async (c) => {
      // An hour of virtual time has passed, so the agents are idle again: wake them first.
      await c.demo.wakeAgents();
      await c.advance(20);
      return c.demo.requestRestoreAction({ body: { Action: "StartManual", Id: c.restoreId } });
    },
    (result) => {
      expect(result).toBeUndefined();
    },
  ),
  row(
    "getRestore",
    "reads the started restore",
    (c) => c.demo.getRestore({ restoreId: c.restoreId }),
    (restore) => {
      expect(restore).toMatchObject({ DestinationMachineId: WEB, DestinationPath: "C:\\Restored", RestoreStateId: 6 });
    },
  ),
  row(
    "getRestoreReport",
    "reads the restore's report once it has finished",
    async (c) => {
      await c.advance(3600);
      return c.demo.getRestoreReport({ restoreId: c.restoreId });
    },
    (report) => {
      expect(report).toMatchObject({ RestoreDestination: "Web Server", RestoreDestinationMachineId: WEB, State: "Completed" });
    },
  ),
  row(
    "listAgentActivity",
    "lists the agent's backup in its activity",
    (c) => c.demo.listAgentActivity({ agentId: LINUX }),
    (activity, c) => {
      expect(activity.some((a) => a.Type === "Backup" && a.ID === c.backupId)).toBe(true);
    },
  ),
  row(
    "listActivity",
    "lists the restore in the account's activity",
    (c) => c.demo.listActivity(),
    (activity, c) => {
      expect(activity.some((a) => a.Type === "Restore" && a.ID === c.restoreId)).toBe(true);
    },
  ),
  row(
    "deleteBackupConfiguration",
    "deletes the configuration",
    (c) => c.demo.deleteBackupConfiguration({ backupConfigurationId: c.configId }),
    (result) => {
      expect(result).toBeUndefined();
    },
  ),
  row(
    "enableAgent",
    "disables an agent of a fresh tenant",
    (c) => c.fresh.enableAgent({ body: { MachineAgentId: c.tenant.agents[0]!, Enable: false } }),
    (result) => {
      expect(result).toBeUndefined();
    },
  ),
  row(
    "enableVolumeEncryption",
    "encrypts an agent and answers a request GUID",
    async (c) => {
      const agent = await c.fresh.getAgent({ machineAgentId: c.tenant.agents[0]! });
      c.passphrase = "first passphrase";
      return c.fresh.enableVolumeEncryption({
        body: { MachineAgentId: agent.MachineAgentId, EncryptedPasswordHex: encryptPassphrase(agent.PublicKey, c.passphrase) },
      });
    },
    (guid) => {
      expect(guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    },
  ),
  row(
    "changeEncryptionPassword",
    "changes the passphrase and answers a request GUID",
    async (c) => {
      const agent = await c.fresh.getAgent({ machineAgentId: c.tenant.agents[0]! });
      return c.fresh.changeEncryptionPassword({
        body: {
          MachineAgentId: agent.MachineAgentId,
          OldEncryptedPasswordHex: encryptPassphrase(agent.PublicKey, c.passphrase),
          NewEncryptedPasswordHex: encryptPassphrase(agent.PublicKey, "second passphrase"),
        },
      });
    },
    (guid) => {
      expect(guid).toMatch(/^[0-9a-f-]{36}$/i);
    },
  ),
  row(
    "migrateVault",
    "moves a vault between two unencrypted agents",
    (c) => c.fresh.migrateVault({ body: { SourceMachineAgentId: c.tenant.agents[1]!, DestinationMachineAgentId: c.tenant.agents[2]! } }),
    (result) => {
      expect(result).toBeUndefined();
    },
  ),
  row(
    "deleteAgent",
    "deletes an agent of the fresh tenant",
    async (c) => {
      const result = await c.fresh.deleteAgent({ body: { MachineAgentId: c.tenant.agents[1]! } });
      expect((await c.fresh.listAgents()).map((a) => a.MachineAgentId)).not.toContain(c.tenant.agents[1]);
      return result;
    },
    (result) => {
      expect(result).toBeUndefined();
    },
  ),
];

describe("one method per operation, against the reference server", () => {
  it("covers every operation of the spec exactly once", () => {
    expect(rows.map((r) => r.operationId).sort()).toEqual(operations.map((op) => op.operationId).sort());
    expect(rows).toHaveLength(33);
  });

  for (const r of rows) {
    it(`${r.operationId} ${r.does}`, async () => {
      const before = server.problems.length;
      await r.run(ctx);
      expect(server.problems.slice(before)).toEqual([]);
    });
  }

  it("sent every call with the token and the client's User-Agent", () => {
    const api = server.exchanges.filter((e) => e.url.includes("/v1.0/"));
    expect(api.length).toBeGreaterThanOrEqual(33);
    for (const e of api) {
      expect(e.requestHeaders.get("x-auth-token")).toMatch(/^(demo-token|[0-9a-f]{32})$/);
      expect(e.requestHeaders.get("user-agent")).toBe("cloud-backup-client/0.1.0");
    }
    expect(api.every((e) => e.status < 400)).toBe(true);
    const demoCalls = api.filter((e) => e.requestHeaders.get("x-auth-token") === DEMO.token);
    expect(demoCalls.every((e) => e.url.startsWith(`http://reference.test/v1.0/${DEMO.tenantId}/`))).toBe(true);
  });
});
