// Run inside the temporary consumer project: calls the reference server (started from the
// CLI tarball) with the client from its tarball. Usage: node call.mjs BASE_URL
import { BackupApiError, createBackupClient } from "@cloud-backup/client";

const [baseUrl] = process.argv.slice(2);
const client = createBackupClient({ baseUrl, token: "demo-token", tenantId: "1234", retry: false, timeoutMs: 15_000 });
const agents = await client.listAgents();
const agent = await client.getAgent({ machineAgentId: agents[0].MachineAgentId });
let notFound = null;
try {
  await client.getAgent({ machineAgentId: 999999 });
} catch (error) {
  if (!(error instanceof BackupApiError)) throw error;
  notFound = error.status;
}
console.log(JSON.stringify({ agents: agents.length, firstAgent: agent.MachineName, status: agent.Status, notFound }));
