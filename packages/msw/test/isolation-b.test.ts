/**
 * The other half of isolation-a.test.ts: this file deletes an agent file A uses and moves its
 * clock by a day, and must not see file A's configurations.
 */
import { describe, expect, it } from "vitest";
import { DEMO, manualConfig, useCloudBackup, WEB2 } from "./helpers.js";

const { handlers } = useCloudBackup();
const ORD = "https://ord.backup.api.rackspacecloud.com";
const headers = { "X-Auth-Token": DEMO.token, "Content-Type": "application/json" };

describe("isolation, file B", () => {
  it("creates its own configuration, deletes web2 and moves its clock, never seeing file A's", async () => {
    const start = handlers.clock.now();
    const res = await fetch(`${ORD}/v1.0/backup-configuration`, {
      method: "POST",
      headers,
      body: JSON.stringify(manualConfig(WEB2, "File B 1")),
    });
    expect(res.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 60));
    const listed = (
      (await (await fetch(`${ORD}/v1.0/backup-configuration/system/${WEB2}`, { headers })).json()) as Array<{
        BackupConfigurationName: string;
      }>
    ).map((c) => c.BackupConfigurationName);
    expect(listed).toContain("File B 1");
    expect(listed.filter((n) => n.startsWith("File A"))).toEqual([]);
    expect(
      (await fetch(`${ORD}/v1.0/agent/delete`, { method: "POST", headers, body: JSON.stringify({ MachineAgentId: WEB2 }) })).status,
    ).toBe(204);
    expect(handlers.clock.advance(86_400)).toBe(start + 86_400_000);
  });

  it("gets web2 back after reset()", async () => {
    expect((await fetch(`${ORD}/v1.0/agent/${WEB2}`, { headers })).status).toBe(200);
  });
});
