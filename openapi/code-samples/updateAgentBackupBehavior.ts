import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// Send web2's backup data over ServiceNet, to its own data center.
const agent = await client.updateAgentBackupBehavior({
  machineAgentId: 202743,
  body: { BackupDataCenter: "DFW", UseServiceNet: true },
});
console.log(agent.MachineName, "uses ServiceNet:", agent.UseServiceNet);
