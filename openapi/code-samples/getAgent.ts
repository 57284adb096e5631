import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

const agent = await client.getAgent({ machineAgentId: 213564 });
console.log(agent.MachineName, agent.Status, agent.OperatingSystem);
