/** The JSON shape of a backup configuration. */
import type { components } from "@cloud-backup/spec";
import { msDateOrNull } from "../../clock.js";
import type { BackupConfiguration, Tenant, World } from "../../world/world.js";

type S = components["schemas"];

/** A configuration as the service shows it: its schedule echoed in UTC, its last run's state. */
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
