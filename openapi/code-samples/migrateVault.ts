import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// Move the backups of "Web Server" (213564) to "Web Server2" (213563), for example after
// rebuilding a server. Neither agent may be encrypted; the destination has no configurations.
await client.migrateVault({ body: { SourceMachineAgentId: 213564, DestinationMachineAgentId: 213563 } });
