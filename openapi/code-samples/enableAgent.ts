import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// Disable web2 (scheduled runs are then Missed), then enable it again.
await client.enableAgent({ body: { MachineAgentId: 202743, Enable: false } });
await client.enableAgent({ body: { MachineAgentId: 202743, Enable: true } });
console.log("disabled:", (await client.getAgent({ machineAgentId: 202743 })).IsDisabled);
