import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

for (const config of await client.listBackupConfigurations()) {
  console.log(config.BackupConfigurationId, config.BackupConfigurationName, config.Frequency);
}
