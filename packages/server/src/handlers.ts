import { randomUUID } from "./random.js";
import type { components } from "@cloud-backup/spec";
import { decryptPassphrase } from "@cloud-backup/spec/crypto";
import type { Handlers } from "./handler-types.js";
import { ApiError, badField, conflict, forbidden, notFound } from "./problem.js";
import { isKnownTimeZone, type ScheduleInput } from "./schedule/index.js";
import { MAX_CONFIGURATIONS_PER_TENANT } from "./limits.js";
import { activityView, agentView, backupView, configView, reportView, restoreReportView, restoreView } from "./views.js";
import type { Agent, BackupConfiguration, ConfigItem, Restore, Tenant, World } from "./world/world.js";
import { TERMINAL_RESTORE } from "./world/world.js";
import { RESTORE_ID } from "./world/states.js";

type S = components["schemas"];

function agentOf(tenant: Tenant, id: number, pointer?: string): Agent {
  const agent = tenant.agents.get(id);
  if (!agent || agent.deleted) {
    const error = notFound(`Agent ${id}`);
    if (pointer) error.errors.push({ in: "body", pointer, message: `agent ${id} does not exist in this account` });
    throw error;
  }
  return agent;
}

function configOf(tenant: Tenant, id: number): BackupConfiguration {
  const config = tenant.configs.get(id);
  if (!config) throw notFound(`Backup configuration ${id}`);
  return config;
}

function restoreOf(tenant: Tenant, id: number, pointer?: string): Restore {
  const restore = tenant.restores.get(id);
  if (!restore) {
    const error = notFound(`Restore ${id}`);
    if (pointer) error.errors.push({ in: "body", pointer, message: `restore ${id} does not exist in this account` });
    throw error;
  }
  return restore;
}

function requireCreating(world: World, restore: Restore, now: number): void {
  const state = world.restoreState(restore, now).state;
  if (state !== RESTORE_ID.Creating) throw conflict(`Restore ${restore.id} has started (state ${state}); only a restore in state ${RESTORE_ID.Creating} (Creating) can be changed.`);
}

function isAbsolute(path: string, windows: boolean): boolean {
  return windows ? /^[A-Za-z]:[\\/]/.test(path) || path.startsWith("\\\\") : path.startsWith("/");
}

function checkPaths(items: S["BackupConfigurationFileRequest"][] | undefined, agent: Agent, pointer: string): void {
  items?.forEach((item, i) => {
    if (!isAbsolute(item.FilePath, agent.windows)) {
      throw badField(`${pointer}/${i}/FilePath`, `must be an absolute ${agent.windows ? "Windows" : "Linux"} path on agent ${agent.id}`);
    }
  });
}

type ConfigBody = S["BackupConfigurationFields"];

function scheduleOf(body: ConfigBody): ScheduleInput {
  return {
    Frequency: body.Frequency,
    StartTimeHour: body.StartTimeHour,
    StartTimeMinute: body.StartTimeMinute,
    StartTimeAmPm: body.StartTimeAmPm,
    DayOfWeekId: body.DayOfWeekId,
    HourInterval: body.HourInterval,
    TimeZoneId: body.TimeZoneId,
  };
}

function checkConfigBody(world: World, tenant: Tenant, body: ConfigBody, exceptId?: number): Agent {
  if (!isKnownTimeZone(body.TimeZoneId)) {
    throw badField("/TimeZoneId", `is not a known Windows time-zone name (for example "Eastern Standard Time")`);
  }
  const agent = agentOf(tenant, body.MachineAgentId, "/MachineAgentId");
  checkPaths(body.Inclusions, agent, "/Inclusions");
  checkPaths(body.Exclusions, agent, "/Exclusions");
  const sameName = world.configByName(tenant, agent.id, body.BackupConfigurationName);
  if (sameName && sameName.id !== exceptId) {
    // createBackupConfiguration documents 409 for this; updateBackupConfiguration documents no 409, so 400 there.
    throw new ApiError(exceptId === undefined ? 409 : 400, `Agent ${agent.id} already has a configuration named "${body.BackupConfigurationName}".`, [
      { in: "body", pointer: "/BackupConfigurationName", message: "is already used by another configuration of this agent" },
    ]);
  }
  return agent;
}

function items(world: World, list: S["BackupConfigurationFileRequest"][] | undefined): ConfigItem[] {
  return (list ?? []).map((i) => ({ FileId: world.newFileId(), FilePath: i.FilePath, FileItemType: i.FileItemType }));
}

function decryptOrFail(agent: Agent, hex: string, pointer: string): string {
  const passphrase = decryptPassphrase(agent.keys.privateKeyPem, hex);
  if (passphrase === null) throw badField(pointer, `is not a passphrase encrypted with agent ${agent.id}'s public key (RSA PKCS#1 v1.5, hex)`);
  return passphrase;
}

const FILTERS: Record<string, 1 | 2> = { "1": 1, "2": 2, Include: 1, Exclude: 2 };
const ITEM_TYPES: Record<string, 0 | 1 | 2> = { "0": 0, "1": 1, "2": 2, File: 0, Folder: 1, Database: 2 };

/** The service's behaviour, one function per operation. */
export const handlers: Handlers = {
  // ------------------------------------------------------------------ agents
  getAgent({ world, tenant, params, now }) {
    return { status: 200, body: agentView(world, tenant, agentOf(tenant, params.machineAgentId), now) };
  },

  enableAgent({ world, tenant, body, now }) {
    const agent = agentOf(tenant, body.MachineAgentId, "/MachineAgentId");
    const wasDisabled = agent.isDisabled;
    agent.isDisabled = !body.Enable;
    for (const config of tenant.configs.values()) if (config.agentId === agent.id) world.schedule(config, now);
    if (wasDisabled && body.Enable) world.makeUp(tenant, agent, now);
    return { status: 204 };
  },

  enableVolumeEncryption({ tenant, body }) {
    const agent = agentOf(tenant, body.MachineAgentId, "/MachineAgentId");
    if (agent.isEncrypted) throw conflict(`Agent ${agent.id} is already encrypted; use changeEncryptionPassword to change the passphrase.`);
    agent.passphrase = decryptOrFail(agent, body.EncryptedPasswordHex, "/EncryptedPasswordHex");
    agent.isEncrypted = true;
    return { status: 200, body: randomUUID() };
  },

  changeEncryptionPassword({ tenant, body }) {
    const agent = agentOf(tenant, body.MachineAgentId, "/MachineAgentId");
    if (!agent.isEncrypted) throw conflict(`Agent ${agent.id} is not encrypted; enable encryption first.`);
    const old = decryptOrFail(agent, body.OldEncryptedPasswordHex, "/OldEncryptedPasswordHex");
    const next = decryptOrFail(agent, body.NewEncryptedPasswordHex, "/NewEncryptedPasswordHex");
    if (old !== agent.passphrase) throw badField("/OldEncryptedPasswordHex", "does not match the current passphrase");
    agent.passphrase = next;
    return { status: 200, body: randomUUID() };
  },

  deleteAgent({ tenant, body }) {
    const agent = agentOf(tenant, body.MachineAgentId, "/MachineAgentId");
    agent.deleted = true;
    tenant.agents.delete(agent.id);
    tenant.hostIndex.delete(agent.hostServerId.toLowerCase());
    for (const [id, config] of tenant.configs) if (config.agentId === agent.id) tenant.configs.delete(id);
    for (const [id, backup] of tenant.backups) if (backup.agentId === agent.id) tenant.backups.delete(id);
    // Restores of the deleted backups go with them (a restore view needs its backup and source agent).
    for (const [id, restore] of tenant.restores) if (!tenant.backups.has(restore.backupId)) tenant.restores.delete(id);
    return { status: 204 };
  },

  migrateVault({ world, tenant, body, now }) {
    if (body.SourceMachineAgentId === body.DestinationMachineAgentId) {
      throw badField("/DestinationMachineAgentId", "must be a different agent from SourceMachineAgentId");
    }
    const source = agentOf(tenant, body.SourceMachineAgentId, "/SourceMachineAgentId");
    const destination = agentOf(tenant, body.DestinationMachineAgentId, "/DestinationMachineAgentId");
    if (source.isEncrypted || destination.isEncrypted) {
      throw conflict(`Vaults can only move between unencrypted agents; agent ${source.isEncrypted ? source.id : destination.id} is encrypted.`);
    }
    const busy = [...tenant.configs.values()].some((c) => c.agentId === destination.id && !c.isDeleted);
    if (busy) throw conflict(`Agent ${destination.id} already has backup configurations; the destination must have none.`);
    for (const config of tenant.configs.values()) {
      if (config.agentId !== source.id) continue;
      config.agentId = destination.id;
      world.indexConfig(config);
      world.schedule(config, now);
    }
    for (const backup of tenant.backups.values()) {
      if (backup.agentId !== source.id) continue;
      backup.agentId = destination.id;
      backup.machineName = destination.name;
    }
    // Restores follow their backups, so a restore's source agent is always its backup's agent.
    for (const restore of tenant.restores.values()) {
      if (tenant.backups.get(restore.backupId)?.agentId === destination.id) restore.backupAgentId = destination.id;
    }
    destination.vaultId = source.vaultId;
    return { status: 200 };
  },

  updateAgentBackupBehavior({ world, tenant, params, body, now }) {
    const agent = agentOf(tenant, params.machineAgentId);
    if (body.BackupDataCenter !== undefined) {
      const present = [...tenant.agents.values()].some((a) => a.datacenter === body.BackupDataCenter);
      if (!present) throw badField("/BackupDataCenter", `names a data center where this account has no servers (${body.BackupDataCenter})`);
      agent.backupDatacenter = body.BackupDataCenter;
    }
    agent.useServiceNet = body.UseServiceNet;
    return { status: 200, body: agentView(world, tenant, agent, now) };
  },

  getAgentByHostServer({ world, tenant, params, now }) {
    const id = tenant.hostIndex.get(params.hostServerId.toLowerCase());
    if (id === undefined) throw notFound(`An agent on host server ${params.hostServerId}`);
    return { status: 200, body: agentView(world, tenant, agentOf(tenant, id), now) };
  },

  changeAgentLogLevel({ tenant, body }) {
    const agent = agentOf(tenant, body.MachineAgentId, "/MachineAgentId");
    agent.logLevel = body.LoggingLevelId;
    return { status: 200 };
  },

  // ------------------------------------------------------------------ users
  listAgents({ world, tenant, now }) {
    const list = [...tenant.agents.values()].filter((a) => !a.deleted).map((a) => agentView(world, tenant, a, now));
    return { status: 200, body: list };
  },

  wakeAgents({ world, tenant, now }) {
    world.wake(tenant, now);
    return { status: 200 };
  },

  // ------------------------------------------------------------------ backup configurations
  createBackupConfiguration({ world, tenant, body, now }) {
    const agent = checkConfigBody(world, tenant, body);
    if (tenant.configs.size >= MAX_CONFIGURATIONS_PER_TENANT) {
      throw conflict(`The account holds ${tenant.configs.size} backup configurations, the most an account may hold (${MAX_CONFIGURATIONS_PER_TENANT}, deleted ones included).`);
    }
    const config: BackupConfiguration = {
      id: world.newConfigId(),
      tenantId: tenant.id,
      agentId: agent.id,
      scheduleId: world.newScheduleId(),
      name: body.BackupConfigurationName,
      isActive: body.IsActive,
      isDeleted: false,
      versionRetention: body.VersionRetention,
      missedBackupActionId: body.MissedBackupActionId ?? 1,
      schedule: scheduleOf(body),
      anchor: now,
      nextRun: null,
      lastRunTime: null,
      lastBackupId: null,
      notifyRecipients: body.NotifyRecipients,
      notifySuccess: body.NotifySuccess,
      notifyFailure: body.NotifyFailure,
      inclusions: items(world, body.Inclusions),
      exclusions: items(world, body.Exclusions),
      prescript: body.BackupPrescript ?? "",
      postscript: body.BackupPostscript ?? "",
      makeUpPending: false,
      failurePercent: 0,
    };
    tenant.configs.set(config.id, config);
    world.indexConfig(config);
    world.schedule(config, now);
    return { status: 200, body: configView(world, tenant, config, now) };
  },

  updateBackupConfiguration({ world, tenant, params, body, now }) {
    const config = configOf(tenant, params.backupConfigurationId);
    if (config.isDeleted) throw notFound(`Backup configuration ${config.id} (deleted)`);
    if (body.MachineAgentId !== config.agentId) {
      throw badField("/MachineAgentId", `must be the configuration's agent (${config.agentId}); use migrateVault to move configurations`);
    }
    if (body.BackupConfigurationScheduleId !== undefined && body.BackupConfigurationScheduleId !== config.scheduleId) {
      throw badField("/BackupConfigurationScheduleId", `must be this configuration's schedule id (${config.scheduleId})`);
    }
    checkConfigBody(world, tenant, body, config.id);
    config.name = body.BackupConfigurationName;
    config.isActive = body.IsActive;
    config.versionRetention = body.VersionRetention;
    if (body.MissedBackupActionId !== undefined) config.missedBackupActionId = body.MissedBackupActionId;
    config.schedule = scheduleOf(body);
    config.anchor = now;
    config.notifyRecipients = body.NotifyRecipients;
    config.notifySuccess = body.NotifySuccess;
    config.notifyFailure = body.NotifyFailure;
    if (body.Inclusions !== undefined) config.inclusions = items(world, body.Inclusions);
    if (body.Exclusions !== undefined) config.exclusions = items(world, body.Exclusions);
    if (body.BackupPrescript !== undefined) config.prescript = body.BackupPrescript;
    if (body.BackupPostscript !== undefined) config.postscript = body.BackupPostscript;
    world.indexConfig(config);
    world.schedule(config, now);
    return { status: 200 };
  },

  getBackupConfiguration({ world, tenant, params, now }) {
    const config = configOf(tenant, params.backupConfigurationId);
    // The service refused reads of deleted configurations from late 2013 on (ERRATA E-33).
    if (config.isDeleted) throw notFound(`Backup configuration ${config.id} (deleted)`);
    return { status: 200, body: configView(world, tenant, config, now) };
  },

  listBackupConfigurations({ world, tenant, now }) {
    const list: S["BackupConfiguration"][] = [];
    for (const config of tenant.configs.values()) if (!config.isDeleted) list.push(configView(world, tenant, config, now));
    return { status: 200, body: list };
  },

  listAgentBackupConfigurations({ world, tenant, params, now }) {
    const agent = agentOf(tenant, params.machineAgentId);
    const list: S["BackupConfiguration"][] = [];
    for (const config of tenant.configs.values()) {
      if (config.agentId === agent.id && !config.isDeleted) list.push(configView(world, tenant, config, now));
    }
    return { status: 200, body: list };
  },

  enableBackupConfiguration({ world, tenant, params, body, now }) {
    const config = configOf(tenant, params.backupConfigurationId);
    if (config.isDeleted) throw notFound(`Backup configuration ${config.id} (deleted)`);
    config.isActive = body.Enable;
    if (body.Enable) config.anchor = now;
    world.schedule(config, now);
    return { status: 200, body: configView(world, tenant, config, now) };
  },

  deleteBackupConfiguration({ world, tenant, params, now }) {
    const config = configOf(tenant, params.backupConfigurationId);
    if (config.isDeleted) throw notFound(`Backup configuration ${config.id} (already deleted)`);
    config.isDeleted = true;
    world.schedule(config, now);
    return { status: 200 };
  },

  // ------------------------------------------------------------------ backups
  requestBackupAction({ world, tenant, body, now }) {
    if (body.Action === "StartManual") {
      const config = tenant.configs.get(body.Id);
      if (!config) {
        const error = notFound(`Backup configuration ${body.Id}`);
        error.errors.push({ in: "body", pointer: "/Id", message: "must be a backup configuration id when Action is StartManual" });
        throw error;
      }
      if (config.isDeleted) throw conflict(`Backup configuration ${config.id} is deleted.`);
      if (!config.isActive) throw conflict(`Backup configuration ${config.id} is disabled; enable it first.`);
      const agent = agentOf(tenant, config.agentId);
      if (agent.isDisabled) throw conflict(`Agent ${agent.id} is disabled; enable it first.`);
      if (!world.isOnline(agent, now)) {
        throw forbidden(`Agent ${agent.id} is not online. Wake it (POST /user/wakeupagents), wait 10 to 20 seconds, then retry.`);
      }
      if (world.isBackupRunning(tenant, config.id, now)) throw conflict(`A backup of configuration ${config.id} is already running.`);
      const backup = world.startBackup(tenant, config, now, false);
      return { status: 200, body: backup.id };
    }
    const backup = tenant.backups.get(body.Id);
    if (!backup) {
      const error = notFound(`Backup ${body.Id}`);
      error.errors.push({ in: "body", pointer: "/Id", message: "must be a backup id when Action is StopManual" });
      throw error;
    }
    const state = world.backupState(backup, now).state;
    if (world.isTerminalBackup(state) || state === "StopRequested") throw conflict(`Backup ${backup.id} is ${state}; only a running backup can be stopped.`);
    world.stopBackup(backup, now);
    return { status: 204 };
  },

  getBackup({ world, tenant, params, now }) {
    const backup = tenant.backups.get(params.backupId);
    if (!backup) throw notFound(`Backup ${params.backupId}`);
    return { status: 200, body: backupView(world, tenant, backup, now) };
  },

  listCompletedBackups({ world, tenant, params, now }) {
    const config = configOf(tenant, params.backupConfigurationId);
    const list = world.restorableBackups(tenant, config, now).map((b) => {
      const step = world.backupState(b, now);
      return {
        BackupId: b.id,
        BackupConfigurationId: b.configId,
        BackupConfigurationName: b.configName,
        MachineAgentId: b.agentId,
        MachineName: b.machineName,
        CompletedTime: `/Date(${step.at})/`,
        BytesSearched: b.bytesSearched,
        NumErrors: b.errors.length,
      };
    });
    return { status: 200, body: list };
  },

  getBackupReport({ world, tenant, params, now }) {
    const backup = tenant.backups.get(params.backupId);
    if (!backup) throw notFound(`Backup ${params.backupId}`);
    return { status: 200, body: reportView(world, tenant, backup, now) };
  },

  // ------------------------------------------------------------------ restore configurations
  createRestore({ world, tenant, body, now }) {
    const backup = tenant.backups.get(body.BackupId);
    if (!backup) {
      const error = notFound(`Backup ${body.BackupId}`);
      error.errors.push({ in: "body", pointer: "/BackupId", message: `backup ${body.BackupId} does not exist in this account` });
      throw error;
    }
    const config = tenant.configs.get(backup.configId);
    if (!config || !world.restorableBackups(tenant, config, now).includes(backup)) {
      throw badField("/BackupId", `is not a completed backup that can still be restored`);
    }
    if (body.BackupMachineId !== backup.agentId) throw badField("/BackupMachineId", `must be the agent that made backup ${backup.id} (${backup.agentId})`);
    const destination = agentOf(tenant, body.DestinationMachineId, "/DestinationMachineId");
    if (!isAbsolute(body.DestinationPath, destination.windows)) {
      throw badField("/DestinationPath", `must be an absolute ${destination.windows ? "Windows" : "Linux"} path on agent ${destination.id}`);
    }
    const source = tenant.agents.get(backup.agentId)!;
    const restore: Restore = {
      id: world.newRestoreId(),
      tenantId: tenant.id,
      backupId: backup.id,
      backupAgentId: backup.agentId,
      destinationAgentId: destination.id,
      destinationPath: body.DestinationPath,
      overwrite: body.OverwriteFiles,
      backupDatacenter: body.BackupDataCenter ?? source.backupDatacenter,
      createdAt: now,
      timeline: [{ state: RESTORE_ID.Creating, at: now }],
      files: [],
      encryptedPassword: null,
      filesRestored: 0,
      bytesRestored: 0,
      errors: [],
    };
    tenant.restores.set(restore.id, restore);
    return { status: 200, body: restoreView(world, tenant, restore, now) };
  },

  updateRestore({ world, tenant, body, now }) {
    const restore = restoreOf(tenant, body.RestoreId, "/RestoreId");
    requireCreating(world, restore, now);
    if (body.BackupId !== restore.backupId) throw badField("/BackupId", `must be the restore's backup (${restore.backupId})`);
    if (body.BackupMachineId !== restore.backupAgentId) throw badField("/BackupMachineId", `must be the agent that made the backup (${restore.backupAgentId})`);
    const backup = tenant.backups.get(restore.backupId);
    if (backup && body.BackupConfigurationId !== backup.configId) {
      throw badField("/BackupConfigurationId", `must be the backup's configuration (${backup.configId})`);
    }
    const destination = agentOf(tenant, body.DestinationMachineId, "/DestinationMachineId");
    if (!isAbsolute(body.DestinationPath, destination.windows)) throw badField("/DestinationPath", "must be an absolute path on the destination agent");
    restore.destinationAgentId = destination.id;
    restore.destinationPath = body.DestinationPath;
    restore.overwrite = body.OverwriteFiles;
    if (body.BackupDataCenter) restore.backupDatacenter = body.BackupDataCenter;
    return { status: 204 };
  },

  addRestoreFile({ world, tenant, body, now }) {
    const restore = restoreOf(tenant, body.ParentId, "/ParentId");
    requireCreating(world, restore, now);
    const filter = FILTERS[String(body.Filter)]!;
    const itemType = ITEM_TYPES[String(body.FileItemType)]!;
    restore.files.push({ id: world.newFileId(), path: body.FilePath, filter, itemType });
    return { status: 200 };
  },

  listRestoreFiles({ tenant, params }) {
    const restore = restoreOf(tenant, params.restoreId);
    const list = restore.files.map((f) => ({ FileId: f.id, FilePath: f.path, Filter: f.filter, RestoreId: restore.id, FileItemType: f.itemType }));
    return { status: 200, body: list };
  },

  deleteRestoreFile({ world, tenant, params, now }) {
    for (const restore of tenant.restores.values()) {
      const index = restore.files.findIndex((f) => f.id === params.restoreId);
      if (index < 0) continue;
      requireCreating(world, restore, now);
      restore.files.splice(index, 1);
      return { status: 204 };
    }
    throw notFound(`Restore file ${params.restoreId}`);
  },

  // ------------------------------------------------------------------ restores
  listBackupsAvailableForRestore({ world, tenant, now }) {
    const list: S["AvailableBackup"][] = [];
    for (const config of tenant.configs.values()) {
      if (config.isDeleted) continue;
      const backups = world.restorableBackups(tenant, config, now);
      const agent = tenant.agents.get(config.agentId);
      if (!backups.length || !agent) continue;
      const last = backups[0]!;
      list.push({
        BackupConfigurationId: config.id,
        BackupConfigurationName: config.name,
        MachineName: agent.name,
        MachineAgentId: agent.id,
        IsEncrypted: agent.isEncrypted,
        PublicKeyHex: agent.keys.publicKey.ExponentHex,
        PublicKeyMod: agent.keys.publicKey.ModulusHex,
        Flavor: "RaxCloudServer",
        LastSuccessfulBackupTime: `/Date(${world.backupState(last, now).at})/`,
      });
    }
    return { status: 200, body: list };
  },

  requestRestoreAction({ world, tenant, body, now }) {
    const restore = restoreOf(tenant, body.Id, "/Id");
    const state = world.restoreState(restore, now).state;
    if (body.Action === "StopManual") {
      if (state === RESTORE_ID.Creating || TERMINAL_RESTORE.has(state) || state === RESTORE_ID.StopRequested) {
        throw conflict(`Restore ${restore.id} is not running (state ${state}); only a running restore can be stopped.`);
      }
      world.stopRestore(restore, now);
      return { status: 204 };
    }
    if (state !== RESTORE_ID.Creating) throw conflict(`Restore ${restore.id} has already started (state ${state}).`);
    const destination = agentOf(tenant, restore.destinationAgentId);
    if (destination.isDisabled) throw conflict(`Agent ${destination.id} is disabled; enable it first.`);
    if (!world.isOnline(destination, now)) {
      throw forbidden(`Agent ${destination.id} is not online. Wake it (POST /user/wakeupagents), wait 10 to 20 seconds, then retry.`);
    }
    const backup = tenant.backups.get(restore.backupId);
    if (backup?.encrypted) {
      if (!body.EncryptedPassword) throw badField("/EncryptedPassword", "is required to restore an encrypted backup");
      const passphrase = decryptOrFail(destination, body.EncryptedPassword, "/EncryptedPassword");
      const source = tenant.agents.get(restore.backupAgentId);
      if (source && source.passphrase !== null && passphrase !== source.passphrase) {
        throw badField("/EncryptedPassword", "does not match the passphrase of the backup");
      }
      restore.encryptedPassword = body.EncryptedPassword;
    }
    world.startRestore(tenant, restore, now);
    return { status: 204 };
  },

  getRestore({ world, tenant, params, now }) {
    return { status: 200, body: restoreView(world, tenant, restoreOf(tenant, params.restoreId), now) };
  },

  getRestoreReport({ world, tenant, params, now }) {
    return { status: 200, body: restoreReportView(world, tenant, restoreOf(tenant, params.restoreId), now) };
  },

  // ------------------------------------------------------------------ activity
  listAgentActivity({ world, tenant, params, now }) {
    agentOf(tenant, params.agentId);
    return { status: 200, body: activityView(world, tenant, now, params.agentId) };
  },

  listActivity({ world, tenant, now }) {
    return { status: 200, body: activityView(world, tenant, now) };
  },
};
