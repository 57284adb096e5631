/**
 * Test files are isolated: this file and isolation-b.test.ts change the same demo world in
 * different ways at the same time (vitest runs files in parallel), and each sees only its own
 * changes. Within a file, `handlers.reset()` after each test isolates the tests.
 */
import { describe, expect, it } from "vitest";
import { DEMO, manualConfig, useCloudBackup, WEB2 } from "./helpers.js";

const { handlers } = useCloudBackup();
const DFW = "https://dfw.backup.api.rackspacecloud.com";
const headers = { "X-Auth-Token": DEMO.token, "Content-Type": "application/json" };
const names = async () =>
  (
    (await (await fetch(`${DFW}/v1.0/${DEMO.tenantId}/backup-configuration/system/${WEB2}`, { headers })).json()) as Array<{
      BackupConfigurationName: string;
    }>
  ).map((c) => c.BackupConfigurationName);

describe("isolation, file A", () => {
  it("creates configurations named for file A and sees none of file B's", async () => {
    for (const n of [1, 2, 3]) {
      const res = await fetch(`${DFW}/v1.0/${DEMO.tenantId}/backup-configuration`, {
        method: "POST",
        headers,
        body: JSON.stringify(manualConfig(WEB2, `File A ${n}`)),
      });
      expect(res.status).toBe(200);
      // Give file B time to do its part meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    const listed = await names();
    expect(listed.filter((n) => n.startsWith("File A"))).toEqual(["File A 1", "File A 2", "File A 3"]);
    expect(listed.filter((n) => n.startsWith("File B"))).toEqual([]);
    // File B moves its clock by a day; this file's clock stands where it started.
    expect(handlers.clock.now()).toBeLessThan(Date.now() + 3_600_000);
  });

  it("starts the next test from the seed world again", async () => {
    expect((await names()).filter((n) => n.startsWith("File A"))).toEqual([]);
  });
});
