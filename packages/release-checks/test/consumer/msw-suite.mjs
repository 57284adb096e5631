// Run inside the temporary consumer project with `node --test`: @cloud-backup/client from its
// tarball, built as in production (Identity credentials, region dfw, the global fetch), against
// cloudBackupHandlers() from the @cloud-backup/msw tarball in msw/node. No URL is changed.
// (Named without ".test." so that this workspace's vitest leaves it to the consumer project.)
import assert from "node:assert/strict";
import { after, afterEach, before, test } from "node:test";
import { createBackupClient } from "@cloud-backup/client";
import { cloudBackupHandlers } from "@cloud-backup/msw";
import { setupServer } from "msw/node";

const handlers = cloudBackupHandlers();
const server = setupServer(...handlers);
const hosts = new Set();
server.events.on("response:mocked", ({ request }) => hosts.add(new URL(request.url).host));
before(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => handlers.reset());
after(() => server.close());

test("the client runs a backup to completion against cloudBackupHandlers() with production settings", async () => {
  const client = createBackupClient({ auth: { username: "demo", apiKey: "demo-api-key" }, region: "dfw" });
  const agents = await client.listAgents();
  assert.ok(agents.some((agent) => agent.MachineAgentId === 202743));
  const config = await client.createBackupConfiguration({
    body: {
      BackupConfigurationName: "From the tarballs",
      MachineAgentId: 202743,
      IsActive: true,
      VersionRetention: 30,
      MissedBackupActionId: 1,
      Frequency: "Manually",
      StartTimeHour: null,
      StartTimeMinute: null,
      StartTimeAmPm: null,
      DayOfWeekId: null,
      HourInterval: null,
      TimeZoneId: "Eastern Standard Time",
      NotifyRecipients: "ops@example.com",
      NotifySuccess: false,
      NotifyFailure: true,
      Inclusions: [{ FilePath: "/var/www/html", FileItemType: "Folder" }],
    },
  });
  const backupId = await client.requestBackupAction({ body: { Action: "StartManual", Id: config.BackupConfigurationId } });
  const backup = await client.waitForBackup(backupId, { pollMs: 1, tick: () => void handlers.clock.advance(30), timeoutMs: 60_000 });
  assert.equal(backup.CurrentState, "Completed");
  assert.equal((await client.session()).baseUrl, "https://dfw.backup.api.rackspacecloud.com");
  assert.deepEqual([...hosts].sort(), ["dfw.backup.api.rackspacecloud.com", "identity.api.rackspacecloud.com"]);
  assert.ok(handlers.world.tenants.get("1234").backups.has(backupId));
});

test("reset() gives the next test the seed world", async () => {
  const client = createBackupClient({ auth: { username: "demo", password: "demo-password" }, region: "dfw" });
  const configs = await client.listAgentBackupConfigurations({ machineAgentId: 202743 });
  assert.deepEqual(
    configs.map((c) => c.BackupConfigurationName),
    ["Weekly Website Backup"],
  );
});
