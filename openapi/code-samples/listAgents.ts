import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// Status in this list may be stale: read one agent (getAgent) for its live status.
for (const agent of await client.listAgents()) {
  console.log(agent.MachineAgentId, agent.MachineName, agent.IsEncrypted ? "encrypted" : "");
}
