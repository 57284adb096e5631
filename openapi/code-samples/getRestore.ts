import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// The seeded restore of the manual website backup (completed yesterday).
const restore = await client.getRestore({ restoreId: 20000 });
console.log(restore.BackupConfigurationName, restore.DestinationPath, restore.RestoreStateId);
