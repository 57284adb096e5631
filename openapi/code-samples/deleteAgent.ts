import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// Remove the idle agent "Web Server2" from the account.
await client.deleteAgent({ body: { MachineAgentId: 213563 } });
const agents = await client.listAgents();
console.log(agents.map((a) => a.MachineAgentId));
