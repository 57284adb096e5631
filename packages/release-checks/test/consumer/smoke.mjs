// Run inside the temporary consumer project: imports every package from its installed
// tarball and prints one JSON line describing what each offers.
const results = {};

const spec = await import("@cloud-backup/spec");
const description = (await import("@cloud-backup/spec/openapi.json", { with: { type: "json" } })).default;
results["@cloud-backup/spec"] = {
  operations: spec.operations.length,
  specVersion: spec.specVersion,
  openapiJsonVersion: description.info.version,
  operationById: spec.operationById("getAgent").path,
};

const rsa = await import("@cloud-backup/spec/crypto");
const pair = rsa.generateAgentKeyPair(512);
results["@cloud-backup/spec/crypto"] = {
  roundTrip: rsa.decryptPassphrase(pair.privateKeyPem, rsa.encryptPassphrase(pair.publicKey, "tarball")),
};

const server = await import("@cloud-backup/server");
const app = server.createServer({ clock: { speed: 0 } });
const res = await app.request("/v1.0/1234/user/agents", { headers: { "X-Auth-Token": "demo-token" } });
results["@cloud-backup/server"] = {
  createServer: typeof server.createServer,
  listAgentsStatus: res.status,
  agents: (await res.json()).length,
};
app.close();

// The Node entry loads without better-sqlite3's native module (it is needed only to open a data file).
const serverNode = await import("@cloud-backup/server/node");
const nodeApp = serverNode.createServer({ clock: { speed: 0 } });
const docs = await nodeApp.request("/docs/");
results["@cloud-backup/server/node"] = {
  createServer: typeof serverNode.createServer,
  Store: typeof serverNode.Store,
  docsWithoutDir: docs.status,
};
nodeApp.close();

const client = await import("@cloud-backup/client");
results["@cloud-backup/client"] = { createBackupClient: typeof client.createBackupClient, CLIENT_VERSION: client.CLIENT_VERSION };

const conformance = await import("@cloud-backup/conformance");
results["@cloud-backup/conformance"] = { runConformance: typeof conformance.runConformance, capabilities: conformance.CAPABILITIES.length };

const cli = await import("@cloud-backup/reference-server");
results["@cloud-backup/reference-server"] = { start: typeof cli.start, parseArgs: typeof cli.parseArgs };

const msw = await import("@cloud-backup/msw");
const handlers = msw.cloudBackupHandlers();
results["@cloud-backup/msw"] = {
  cloudBackupHandlers: typeof msw.cloudBackupHandlers,
  handlers: handlers.length,
  agents: handlers.world.tenants.get("1234").agents.size,
};

console.log(JSON.stringify(results));
