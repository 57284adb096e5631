/** The JSON shapes of a backup, its report, and a completed backup (a version). */
import type { components } from "@cloud-backup/spec";
import { msDate } from "../../clock.js";
import { duration, humanSize } from "../../world/filetree.js";
import type { Backup, Tenant, World } from "../../world/world.js";

type S = components["schemas"];

/**
 * A duration still running at `now` (shown in whole seconds), noting when its text next
 * changes: `duration` rounds, so the shown second moves on at each half second.
 */
export function runningDuration(world: World, ms: number, from: number): string {
  const shown = Math.max(0, Math.round(ms / 1000));
  world.until(from + shown * 1000 + 500);
  return duration(ms);
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
    ...(agent
      ? { EncryptionKey: agent.keys.publicKey as S["PublicKey"], Datacenter: agent.datacenter, BackupDatacenter: agent.backupDatacenter }
      : {}),
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

/** A completed backup as `listCompletedBackups` lists it. */
export function completedBackupView(world: World, b: Backup, now: number): S["CompletedBackup"] {
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
}
