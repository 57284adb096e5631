// The session replay and the peer set-up, run for real against short-lived servers. Nothing
// here asserts a timing: only that every session completes and what the harness reports adds up.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { javaVersion, packageVersion, startJsonServer, wiremockJar } from "../src/peers.mjs";
import { JSON_SERVER_SESSION_DB, runSessions } from "../src/session.mjs";
import { http, killAll, startReference, stopProcess } from "../src/servers.mjs";

const dir = mkdtempSync(join(tmpdir(), "bench-test-"));
after(() => {
  killAll();
  rmSync(dir, { recursive: true, force: true });
});

test("a CI-like session runs start to end on the reference server's default clock", async () => {
  const proc = await startReference({ name: "session-test" });
  try {
    const r = await runSessions({ base: proc.baseUrl, kind: "reference", seconds: 1, concurrency: 2 });
    assert.equal(r.failures, 0, r.firstError);
    assert.ok(r.sessions >= 1);
    // Each session sends at least its fixed calls (tenant, agents, create, read, start, 3 polls, advance + poll, 4 reads, delete).
    assert.ok(r.requests >= r.sessions * 15, `${r.requests} requests for ${r.sessions} sessions`);
    assert.ok(r.p50 <= r.p99);
  } finally {
    await stopProcess(proc);
  }
});

test("json-server serves the mapped API paths and the session's collections", async () => {
  const routes = { "/v1.0/1234/agent/213564": "/agents/213564", "/v1.0/t/backup-configuration": "/list10" };
  const db = { ...JSON_SERVER_SESSION_DB, agents: [{ id: 213564, MachineAgentId: 213564 }], list10: [{ id: 1, BackupConfigurationId: 1 }] };
  const proc = await startJsonServer(join(dir, "js"), db, routes);
  try {
    const agent = await http(`${proc.baseUrl}/v1.0/1234/agent/213564`);
    assert.equal(agent.status, 200);
    assert.equal(JSON.parse(agent.body).MachineAgentId, 213564);
    assert.deepEqual(JSON.parse((await http(`${proc.baseUrl}/v1.0/t/backup-configuration`)).body), db.list10);
    const r = await runSessions({ base: proc.baseUrl, kind: "json-server", seconds: 1, concurrency: 2 });
    assert.equal(r.failures, 0, r.firstError);
    assert.ok(r.sessions >= 1);
  } finally {
    await stopProcess(proc);
  }
});

test("the peers the bench needs are installed with it; java is reported as found or missing", () => {
  for (const name of ["wiremock", "@mockoon/cli", "json-server", "@stoplight/prism-cli"])
    assert.match(packageVersion(name) ?? "", /^\d+\.\d+\.\d+/, name);
  assert.match(wiremockJar() ?? "", /wiremock-standalone-\d+\.\d+\.\d+\.jar$/);
  const java = javaVersion();
  assert.ok(java === undefined || /\S/.test(java));
});
