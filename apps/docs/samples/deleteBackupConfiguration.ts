import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// Deleting is soft: the configuration stops running and reads back with IsDeleted true.
await client.deleteBackupConfiguration({ backupConfigurationId: 180002 });
const config = await client.getBackupConfiguration({ backupConfigurationId: 180002 });
console.log(config.BackupConfigurationName, "deleted:", config.IsDeleted);
