import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// After a delete the configuration stops running and leaves the list; reading it by id answers 404.
await client.deleteBackupConfiguration({ backupConfigurationId: 180002 });
const left = await client.listBackupConfigurations();
console.log("still listed:", left.some((c) => c.BackupConfigurationId === 180002));
