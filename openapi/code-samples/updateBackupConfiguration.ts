import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// Move the weekly website backup to Saturdays at 9 PM Eastern and keep 60 days of versions.
// An update sends the whole configuration: read it, change what differs, send it back.
const current = await client.getBackupConfiguration({ backupConfigurationId: 180000 });
await client.updateBackupConfiguration({
  backupConfigurationId: 180000,
  body: {
    MachineAgentId: current.MachineAgentId,
    BackupConfigurationName: current.BackupConfigurationName,
    IsActive: current.IsActive,
    VersionRetention: 60,
    MissedBackupActionId: current.MissedBackupActionId,
    Frequency: "Weekly",
    StartTimeHour: 9,
    StartTimeMinute: 0,
    StartTimeAmPm: "PM",
    DayOfWeekId: 6,
    HourInterval: null,
    TimeZoneId: current.TimeZoneId,
    NotifyRecipients: current.NotifyRecipients,
    NotifySuccess: current.NotifySuccess,
    NotifyFailure: current.NotifyFailure,
  },
});
// The update answers no body: read the configuration back.
const updated = await client.getBackupConfiguration({ backupConfigurationId: 180000 });
console.log(updated.VersionRetention, updated.DayOfWeekId, updated.NextScheduledRunTime);
