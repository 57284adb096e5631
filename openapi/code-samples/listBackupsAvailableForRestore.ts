import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// One entry per configuration that has a backup to restore.
for (const available of await client.listBackupsAvailableForRestore()) {
  console.log(available.BackupConfigurationId, available.BackupConfigurationName, available.MachineName, available.IsEncrypted);
}
