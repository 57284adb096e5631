import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// The seeded "Weekly Website Backup" of web2.
const config = await client.getBackupConfiguration({ backupConfigurationId: 180000 });
console.log(config.BackupConfigurationName, config.NextScheduledRunTime);
