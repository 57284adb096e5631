import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// Wake every agent of the account, then poll until the idle one (213563) is Online.
// wakeAgent() does both: it calls wakeAgents and polls getAgent.
await client.wakeAgents();
const agent = await client.wakeAgent(213563, { timeoutMs: 60_000, pollMs: 2_000 });
console.log(agent.MachineName, agent.Status);
