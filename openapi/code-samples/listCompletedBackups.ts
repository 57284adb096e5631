import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// Finished runs of the weekly website backup (Completed, CompletedWithErrors, Failed, ...).
const backups = await client.listCompletedBackups({ backupConfigurationId: 180000 });
for (const backup of backups) console.log(backup.BackupId, backup.CompletedTime, backup.NumErrors, "errors");
