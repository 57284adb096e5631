import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// The report of the latest run of the database backup, which could not read some locked files.
const [latest] = await client.listCompletedBackups({ backupConfigurationId: 180001 });
if (!latest) throw new Error("no completed backup yet");
const report = await client.getBackupReport({ backupId: latest.BackupId });
console.log(report.FilesBackedUp, report.BytesBackedUp, report.NumErrors, report.ErrorList?.length);
