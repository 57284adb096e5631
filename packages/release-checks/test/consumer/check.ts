// Type-checked inside the temporary consumer project against the installed tarballs
// (module nodenext, strict, skipLibCheck off), and in this workspace by `npm run typecheck`.
// Note: the fetch adapter is async because FetchLike wants a Promise and Hono's app.fetch
// may answer a Response synchronously.
import { operations, operationById, specVersion, type components, type paths, type OperationId } from "@cloud-backup/spec";
import description from "@cloud-backup/spec/openapi.json" with { type: "json" };
import { createServer, type CloudBackupServer } from "@cloud-backup/server";
import { createServer as createNodeServer, type ServerOptions as NodeServerOptions } from "@cloud-backup/server/node";
import { encryptPassphrase, type AgentPublicKey } from "@cloud-backup/spec/crypto";
import { createBackupClient, BackupApiError, type BackupClient, type Schemas, type ResultOf } from "@cloud-backup/client";
import { runConformance, CAPABILITIES, type Capability } from "@cloud-backup/conformance";
import { parseArgs, type CliOptions } from "@cloud-backup/reference-server";

type Agent = components["schemas"]["Agent"];
const status: Agent["Status"] = "Online";
const id: OperationId = "getAgent";
const row = operationById(id);
const method: string = row.method;
const title: string = description.info.title;
type ListAgents = paths["/v1.0/{tenant_id}/user/agents"]["get"];

const app: CloudBackupServer = createServer({ clock: { speed: 0 } });
const nodeOptions: NodeServerOptions = { clock: { speed: 0 }, docsDir: undefined, data: undefined, fsync: false };
const _nodeApp: CloudBackupServer = createNodeServer(nodeOptions);
const _encrypt: (key: AgentPublicKey, passphrase: string) => string = encryptPassphrase;
const client: BackupClient = createBackupClient({
  baseUrl: "http://reference.test",
  token: "demo-token",
  tenantId: "1234",
  fetch: async (input, init) => app.fetch(new Request(input, init)),
});

export async function use(): Promise<string> {
  const agents: Schemas["Agent"][] = await client.listAgents();
  const agent: ResultOf<"getAgent"> = await client.getAgent({ machineAgentId: agents[0]!.MachineAgentId });
  // @ts-expect-error machineAgentId is a number
  await client.getAgent({ machineAgentId: "213564" });
  try {
    await client.getAgent({ machineAgentId: 1 });
  } catch (error) {
    if (error instanceof BackupApiError) return String(error.status);
  }
  const capability: Capability = CAPABILITIES[0];
  const options = parseArgs(["--port", "0"]);
  const port: number = typeof options === "string" ? 0 : (options satisfies CliOptions).port;
  void runConformance;
  return `${agent.MachineName} ${status} ${method} ${title} ${specVersion} ${operations.length} ${capability} ${port}`;
}
export type { ListAgents };
