import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// The latest completed backup of the weekly website configuration, then its details.
const [latest] = await client.listCompletedBackups({ backupConfigurationId: 180000 });
if (!latest) throw new Error("no completed backup yet");
const backup = await client.getBackup({ backupId: latest.BackupId });
console.log(backup.BackupId, backup.CurrentState, backup.BackupConfigurationName);
