import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// Raise web2's log level to Debug (5): 1 Fatal ... 6 Trace, 7 All.
await client.changeAgentLogLevel({ body: { MachineAgentId: 202743, LoggingLevelId: 5 } });
