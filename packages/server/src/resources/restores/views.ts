/** The JSON shapes of a restore, its report, and a backup available for restore. */
import type { components } from "@cloud-backup/spec";
import { msDate, msDateOrNull } from "../../clock.js";
import { duration, humanSize } from "../../world/filetree.js";
import { RESTORE_ID, RESTORE_STATES } from "../../world/states.js";
import type { Agent, Backup, BackupConfiguration, Restore, Tenant, World } from "../../world/world.js";
import { runningDuration } from "../backups/views.js";
import { restoreFileView } from "../restore-configurations/views.js";
import { TERMINAL_RESTORE } from "./model.js";

type S = components["schemas"];

export function restoreView(world: World, tenant: Tenant, restore: Restore, now: number): S["Restore"] {
  const backup = tenant.backups.get(restore.backupId);
  const source = tenant.agents.get(restore.backupAgentId);
  const destination = tenant.agents.get(restore.destinationAgentId);
  const files = (filter: 1 | 2) => restore.files.filter((f) => f.filter === filter).map((f) => restoreFileView(restore, f));
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

/** A configuration with backups that can be restored, as `listBackupsAvailableForRestore` lists it. */
export function availableBackupView(
  world: World,
  config: BackupConfiguration,
  agent: Agent,
  last: Backup,
  now: number,
): S["AvailableBackup"] {
  return {
    BackupConfigurationId: config.id,
    BackupConfigurationName: config.name,
    MachineName: agent.name,
    MachineAgentId: agent.id,
    IsEncrypted: agent.isEncrypted,
    PublicKeyHex: agent.keys.publicKey.ExponentHex,
    PublicKeyMod: agent.keys.publicKey.ModulusHex,
    Flavor: "RaxCloudServer",
    LastSuccessfulBackupTime: `/Date(${world.backupState(last, now).at})/`,
  };
}
