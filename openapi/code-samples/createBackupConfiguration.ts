import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// Back up web2's /home every day at 2:30 AM US Eastern time, keeping 30 days of versions.
const config = await client.createBackupConfiguration({
  body: {
    MachineAgentId: 202743,
    BackupConfigurationName: "Nightly home folders",
    IsActive: true,
    VersionRetention: 30,
    MissedBackupActionId: 1,
    Frequency: "Daily",
    StartTimeHour: 2,
    StartTimeMinute: 30,
    StartTimeAmPm: "AM",
    DayOfWeekId: null,
    HourInterval: null,
    TimeZoneId: "Eastern Standard Time",
    NotifyRecipients: "ops@example.com",
    NotifySuccess: false,
    NotifyFailure: true,
    Inclusions: [{ FilePath: "/home", FileItemType: "Folder" }],
    Exclusions: [{ FilePath: "/home/cache", FileItemType: "Folder" }],
  },
});
// The schedule comes back in UTC: 7:30 AM in winter, 6:30 AM in summer.
console.log(config.BackupConfigurationId, config.StartTimeHour, config.StartTimeMinute, config.StartTimeAmPm, config.TimeZoneId);
