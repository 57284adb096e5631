import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// The agent of a Cloud Server, by the server's id (a UUID).
const agent = await client.getAgentByHostServer({ hostServerId: "87c3b6e1-fb1a-41f9-91e5-313ae35a5a06" });
console.log(agent.MachineAgentId, agent.MachineName);
