import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// Pause the weekly website backup: no scheduled run happens until it is enabled again.
const config = await client.enableBackupConfiguration({ backupConfigurationId: 180000, body: { Enable: false } });
console.log(config.BackupConfigurationName, "active:", config.IsActive);
