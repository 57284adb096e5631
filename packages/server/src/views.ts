import type { components } from "@cloud-backup/spec";
import { MAX_ACTIVITY_ITEMS } from "./limits.js";
import { msDate, msDateOrNull } from "./clock.js";
import { duration, humanSize } from "./world/filetree.js";
import { RESTORE_ID, RESTORE_STATES } from "./world/states.js";
import { type Agent, type Backup, type BackupConfiguration, type Restore, TERMINAL_RESTORE, type Tenant, type World } from "./world/world.js";

type S = components["schemas"];

/**
 * A duration still running at `now` (shown in whole seconds), noting when its text next
 * changes: `duration` rounds, so the shown second moves on at each half second.
 */
function runningDuration(world: World, ms: number, from: number): string {
  const shown = Math.max(0, Math.round(ms / 1000));
  world.until(from + shown * 1000 + 500);
  return duration(ms);
}

/** Cleanup activity ids are this plus the id of the backup version they removed. */
export const CLEANUP_ID_BASE = 1_000_000_000;

export function agentView(world: World, tenant: Tenant, agent: Agent, now: number): S["Agent"] {
  const vault = world.vaultBytes(tenant, agent, now);
  return {
    AgentVersion: agent.agentVersion,
    Architecture: agent.architecture,
    Flavor: "RaxCloudServer",
    BackupVaultSize: vault > 0 ? humanSize(vault) : null,
    BackupContainer: `https://storage101.${agent.backupDatacenter.toLowerCase()}1.clouddrive.com/v1/MossoCloudFS_${tenant.id}/z_DO_NOT_DELETE_CloudBackup_v2_0_${agent.vaultId}`,
    CleanupAllowed: true,
    Datacenter: agent.datacenter,
    BackupDatacenter: agent.backupDatacenter,
    IPAddress: agent.ip,
    IsDisabled: agent.isDisabled,
    IsEncrypted: agent.isEncrypted,
    MachineAgentId: agent.id,
    MachineName: agent.name,
    OperatingSystem: agent.os,
    OperatingSystemVersion: agent.osVersion,
    PublicKey: agent.keys.publicKey as S["PublicKey"],
    Status: world.agentStatus(agent, now),
    TimeOfLastSuccessfulBackup: msDateOrNull(world.lastSuccessfulBackup(tenant, agent, now)),
    UseServiceNet: agent.useServiceNet,
    UseFailoverUri: agent.useFailoverUri,
    HostServerId: agent.hostServerId,
  };
}

export function configView(world: World, tenant: Tenant, config: BackupConfiguration, now: number): S["BackupConfiguration"] {
  const agent = tenant.agents.get(config.agentId);
  const echo = world.echo(config, now);
  const last = config.lastBackupId === null ? undefined : tenant.backups.get(config.lastBackupId);
  const item = (filter: "Include" | "Exclude") => (i: BackupConfiguration["inclusions"][number]) => ({
    FileId: i.FileId,
    FilePath: i.FilePath,
    FileItemType: i.FileItemType,
    ParentId: config.id,
    Filter: filter,
    FilePathEncoded: null,
  });
  return {
    BackupConfigurationId: config.id,
    MachineAgentId: config.agentId,
    MachineName: agent?.name ?? "",
    Flavor: "RaxCloudServer",
    Datacenter: agent?.datacenter ?? "DFW",
    IsEncrypted: agent?.isEncrypted ?? false,
    ...(agent ? { EncryptionKey: agent.keys.publicKey as S["PublicKey"] } : {}),
    BackupConfigurationName: config.name,
    IsActive: config.isActive,
    IsDeleted: config.isDeleted,
    VersionRetention: config.versionRetention,
    BackupConfigurationScheduleId: config.scheduleId,
    MissedBackupActionId: config.missedBackupActionId,
    Frequency: config.schedule.Frequency,
    StartTimeHour: echo.StartTimeHour,
    StartTimeMinute: echo.StartTimeMinute,
    StartTimeAmPm: echo.StartTimeAmPm,
    DayOfWeekId: echo.DayOfWeekId,
    HourInterval: config.schedule.HourInterval,
    TimeZoneId: config.schedule.TimeZoneId,
    NextScheduledRunTime: msDateOrNull(config.nextRun),
    LastRunTime: msDateOrNull(config.lastRunTime),
    LastRunBackupReportId: config.lastBackupId,
    BackupState: last ? world.backupState(last, now).state : "Not Available",
    NotifyRecipients: config.notifyRecipients,
    NotifySuccess: config.notifySuccess,
    NotifyFailure: config.notifyFailure,
    Inclusions: config.inclusions.map(item("Include")),
    Exclusions: config.exclusions.map(item("Exclude")),
    BackupPrescript: config.prescript,
    BackupPostscript: config.postscript,
  };
}

export function backupView(world: World, tenant: Tenant, backup: Backup, now: number): S["Backup"] {
  const agent = tenant.agents.get(backup.agentId);
  const step = world.backupState(backup, now);
  return {
    BackupId: backup.id,
    BackupConfigurationId: backup.configId,
    CurrentState: step.state,
    BackupConfigurationName: backup.configName,
    MachineAgentId: backup.agentId,
    MachineName: backup.machineName,
    StateChangeTime: msDate(step.at),
    IsEncrypted: backup.encrypted,
    ...(agent ? { EncryptionKey: agent.keys.publicKey as S["PublicKey"], Datacenter: agent.datacenter, BackupDatacenter: agent.backupDatacenter } : {}),
  };
}

export function backupEnd(backup: Backup): number {
  return backup.timeline[backup.timeline.length - 1]!.at;
}

export function reportView(world: World, tenant: Tenant, backup: Backup, now: number): S["BackupReport"] {
  const step = world.backupState(backup, now);
  const done = world.isTerminalBackup(step.state);
  const config = tenant.configs.get(backup.configId);
  const agent = tenant.agents.get(backup.agentId);
  const errors = done ? backup.errors : [];
  return {
    BackupId: backup.id,
    BackupConfigurationId: backup.configId,
    BackupConfigurationName: backup.configName,
    BackupConfigurationIsDeleted: config?.isDeleted ?? true,
    ComputerName: backup.machineName,
    MachineAgentId: backup.agentId,
    State: step.state,
    CanRestore: (step.state === "Completed" || step.state === "CompletedWithErrors") && !world.isExpired(tenant, backup, now),
    StartTime: msDate(backup.startedAt),
    CompletedTime: done ? msDate(step.at) : null,
    Duration: done ? duration(step.at - backup.startedAt) : runningDuration(world, now - backup.startedAt, backup.startedAt),
    FilesSearched: String(done || step.state === "InProgress" ? backup.filesSearched : 0),
    BytesSearched: humanSize(done || step.state === "InProgress" ? backup.bytesSearched : 0),
    FilesBackedUp: String(done ? backup.filesBackedUp : 0),
    BytesBackedUp: humanSize(done ? backup.bytesBackedUp : 0),
    NumErrors: errors.length,
    Reason: step.state === "Failed" ? "AgentError" : step.state === "Stopped" ? "StoppedByUser" : "Success",
    Diagnostics:
      step.state === "CompletedWithErrors"
        ? "Completed With Errors"
        : step.state === "Failed"
          ? "The agent could not finish the backup"
          : done
            ? step.state
            : "In progress",
    ErrorList: errors.map((f, i) => ({
      BackupReportID: backup.id,
      ListIndex: i,
      ErrorType: 101,
      ErrorDesc: "The agent experienced a problem. (Rax)",
      ExceptionDesc: `Cannot open file "${f.path}". The process cannot access the file because it is being used by another process.`,
      ExceptionDetails: `1: [Fs.cpp: 157-rax::Fs::Open]Error Code(313): Cannot open file "${f.path}". The process cannot access the file because it is being used by another process.`,
      ExceptionCode: 313,
      Path: f.path,
    })),
    SnapshotId: done ? backup.id * 10 + 1 : null,
    ...(agent ? { Datacenter: agent.datacenter, BackupDatacenter: agent.backupDatacenter } : {}),
  };
}

export function restoreView(world: World, tenant: Tenant, restore: Restore, now: number): S["Restore"] {
  const backup = tenant.backups.get(restore.backupId);
  const source = tenant.agents.get(restore.backupAgentId);
  const destination = tenant.agents.get(restore.destinationAgentId);
  const files = (filter: 1 | 2) =>
    restore.files
      .filter((f) => f.filter === filter)
      .map((f) => ({ FileId: f.id, FilePath: f.path, Filter: f.filter, RestoreId: restore.id, FileItemType: f.itemType }));
  return {
    RestoreId: restore.id,
    BackupId: restore.backupId,
    BackupMachineId: restore.backupAgentId,
    DestinationMachineId: restore.destinationAgentId,
    MachineAgentId: restore.destinationAgentId,
    OverwriteFiles: restore.overwrite,
    BackupDataCenter: restore.backupDatacenter,
    BackupConfigurationId: backup?.configId ?? 0,
    BackupConfigurationName: backup?.configName ?? "",
    BackupRestorePoint: msDate(backup?.startedAt ?? restore.createdAt),
    BackupMachineName: source?.name ?? backup?.machineName ?? "",
    BackupFlavor: "RaxCloudServer",
    DestinationMachineName: destination?.name ?? "",
    DestinationPath: restore.destinationPath,
    IsEncrypted: backup?.encrypted ?? false,
    EncryptedPassword: restore.encryptedPassword,
    PublicKey: (destination ?? source)!.keys.publicKey as S["PublicKey"],
    RestoreStateId: world.restoreState(restore, now).state as S["RestoreStateId"],
    Inclusions: files(1),
    Exclusions: files(2),
  };
}

export function restoreReportView(world: World, tenant: Tenant, restore: Restore, now: number): S["RestoreReport"] {
  const backup = tenant.backups.get(restore.backupId);
  const step = world.restoreState(restore, now);
  const done = TERMINAL_RESTORE.has(step.state);
  const started = restore.timeline.length > 1 ? restore.timeline[1]!.at : null;
  const destination = tenant.agents.get(restore.destinationAgentId);
  const errors = done ? restore.errors : [];
  return {
    BackupConfigurationId: backup?.configId ?? 1,
    BackupConfigurationName: backup?.configName ?? "",
    BackupReportId: restore.backupId,
    RestorePoint: msDate(backup?.startedAt ?? restore.createdAt),
    StartTime: msDateOrNull(started),
    CompletedTime: done ? msDate(step.at) : null,
    Duration: started === null ? duration(0) : done ? duration(step.at - started) : runningDuration(world, now - started, started),
    OriginatingComputerName: backup?.machineName ?? "",
    State: RESTORE_STATES[step.state] ?? "Creating",
    NumFilesRestored: String(done ? restore.filesRestored : 0),
    NumBytesRestored: humanSize(done ? restore.bytesRestored : 0),
    RestoreDestination: destination?.name ?? "",
    RestoreDestinationMachineId: restore.destinationAgentId,
    NumErrors: String(errors.length),
    Reason: errors.length ? "UnableToProcessSomeFiles" : step.state === RESTORE_ID.Stopped ? "StoppedByUser" : "Success",
    Diagnostics: errors.length ? "Some files may not have been restored" : done ? RESTORE_STATES[step.state]! : "In progress",
    ErrorList: errors.map((f, i) => ({
      ListIndex: i,
      ErrorType: 101,
      ErrorDesc: "The agent experienced a problem. (Rax)",
      ExceptionDesc: "The file is in use by another process and cannot be overwritten.",
      ExceptionCode: 32,
      Path: f.path,
    })),
  };
}

/** Activity items of a tenant, optionally for one agent, newest first. */
export function activityView(world: World, tenant: Tenant, now: number, agentId?: number): S["Activity"][] {
  const items: S["Activity"][] = [];
  for (const b of tenant.backups.values()) {
    if (b.startedAt > now) {
      world.until(b.startedAt);
      continue;
    }
    if (agentId !== undefined && b.agentId !== agentId) continue;
    const step = world.backupState(b, now);
    const agent = tenant.agents.get(b.agentId);
    items.push({
      ID: b.id,
      Type: "Backup",
      ParentId: b.configId,
      DisplayName: b.configName,
      IsBackupConfigurationDeleted: tenant.configs.get(b.configId)?.isDeleted ?? true,
      SourceMachineAgentId: b.agentId,
      SourceMachineName: b.machineName,
      DestinationMachineAgentId: 0,
      DestinationMachineName: "",
      CurrentState: step.state,
      TimeOfActivity: msDate(step.at),
      BackupId: b.id,
      SourceDatacenter: agent?.datacenter ?? "",
      DestinationDatacenter: "",
    });
  }
  for (const r of tenant.restores.values()) {
    if (agentId !== undefined && r.backupAgentId !== agentId && r.destinationAgentId !== agentId) continue;
    const step = world.restoreState(r, now);
    const backup = tenant.backups.get(r.backupId);
    const source = tenant.agents.get(r.backupAgentId);
    const destination = tenant.agents.get(r.destinationAgentId);
    items.push({
      ID: r.id,
      Type: "Restore",
      ParentId: backup?.configId ?? 0,
      DisplayName: backup?.configName ?? "",
      IsBackupConfigurationDeleted: backup ? (tenant.configs.get(backup.configId)?.isDeleted ?? true) : true,
      SourceMachineAgentId: r.backupAgentId,
      SourceMachineName: source?.name ?? backup?.machineName ?? "",
      DestinationMachineAgentId: r.destinationAgentId,
      DestinationMachineName: destination?.name ?? "",
      CurrentState: RESTORE_STATES[step.state] ?? "Creating",
      TimeOfActivity: msDate(step.at),
      BackupId: r.backupId,
      SourceDatacenter: source?.datacenter ?? "",
      DestinationDatacenter: destination?.datacenter ?? "",
    });
  }
  // A cleanup removes each backup version when it expires; its id is derived from the backup's.
  const expired: Array<{ b: Backup; at: number }> = [];
  for (const configId of tenant.byConfig.keys()) {
    for (const v of world.versions(tenant, configId, now)) if (v.expiresAt !== null) expired.push({ b: v.backup, at: v.expiresAt });
  }
  for (const { b, at } of expired) {
    if (agentId !== undefined && b.agentId !== agentId) continue;
    const c = { id: CLEANUP_ID_BASE + b.id, agentId: b.agentId, at };
    const agent = tenant.agents.get(c.agentId);
    items.push({
      ID: c.id,
      Type: "Cleanup",
      ParentId: 0,
      DisplayName: "Cleanup",
      IsBackupConfigurationDeleted: false,
      SourceMachineAgentId: c.agentId,
      SourceMachineName: agent?.name ?? "",
      DestinationMachineAgentId: 0,
      DestinationMachineName: "",
      CurrentState: "Completed",
      TimeOfActivity: msDate(c.at),
      BackupId: null,
      SourceDatacenter: agent?.datacenter ?? "",
      DestinationDatacenter: "",
    });
  }
  // Sort on numbers read once, not on strings parsed inside the comparator.
  const keyed = items.map((item) => ({ item, at: Number(item.TimeOfActivity.slice(6, -2)) }));
  keyed.sort((a, b) => b.at - a.at || b.item.ID - a.item.ID);
  // The newest MAX_ACTIVITY_ITEMS only (ERRATA E-35).
  return keyed.slice(0, MAX_ACTIVITY_ITEMS).map((k) => k.item);
}
