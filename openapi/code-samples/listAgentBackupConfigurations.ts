import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// The backup configurations of one agent (web2).
const configs = await client.listAgentBackupConfigurations({ machineAgentId: 202743 });
console.log(configs.map((c) => c.BackupConfigurationName));
