/**
 * The client's walkthrough (packages/client/examples/walkthrough.ts) against
 * `cloudBackupHandlers()` in `msw/node`, with the client built as in production: Identity
 * credentials and region `dfw`, nothing pointed anywhere else.
 */
import { createBackupClient } from "@cloud-backup/client";
import { describe, expect, it, vi } from "vitest";
import { DEFAULT_IDENTITY_URL } from "../src/index.js";
import { DEMO, useCloudBackup, WEB2, WEB_SERVER } from "./helpers.js";

const { handlers, settled } = useCloudBackup();
const DFW = "https://dfw.backup.api.rackspacecloud.com";

describe("the walkthrough, with production settings", () => {
  it("authenticates with Identity, backs up web2 to completion and restores a folder to Web Server", async () => {
    const client = createBackupClient({ auth: { username: DEMO.username, apiKey: DEMO.apiKey }, region: "dfw" });
    // Waits move the virtual clock instead of taking real time.
    const polling = { pollMs: 1, tick: () => void handlers.clock.advance(5) };

    const agents = await client.listAgents();
    expect(agents.map((a) => a.MachineAgentId)).toEqual(expect.arrayContaining([WEB2, WEB_SERVER]));
    const session = await client.session();
    expect(session).toMatchObject({ baseUrl: DFW, tenantId: DEMO.tenantId });

    const source = await client.wakeAgent(WEB2, polling);
    expect(source.Status).toBe("Online");

    const config = await client.createBackupConfiguration({
      body: {
        BackupConfigurationName: "Walkthrough",
        MachineAgentId: WEB2,
        IsActive: true,
        VersionRetention: 30,
        MissedBackupActionId: 1,
        Frequency: "Weekly",
        StartTimeHour: 7,
        StartTimeMinute: 30,
        StartTimeAmPm: "PM",
        DayOfWeekId: 5,
        HourInterval: null,
        TimeZoneId: "Eastern Standard Time",
        NotifyRecipients: "ops@example.com",
        NotifySuccess: true,
        NotifyFailure: true,
        Inclusions: [{ FilePath: "/var/www/html", FileItemType: "Folder" }],
        Exclusions: [{ FilePath: "/var/www/html/uploads", FileItemType: "Folder" }],
      },
    });
    expect(config.BackupConfigurationName).toBe("Walkthrough");

    const backupId = await client.requestBackupAction({ body: { Action: "StartManual", Id: config.BackupConfigurationId } });
    const states: string[] = [];
    const backup = await client.waitForBackup(backupId, { ...polling, timeoutMs: 600_000, onProgress: (b) => states.push(b.CurrentState) });
    expect(backup.CurrentState).toBe("Completed");
    expect(states[0]).not.toBe("Completed"); // it ran on the virtual clock, not at once
    const report = await client.getBackupReport({ backupId });
    expect(Number(report.FilesBackedUp)).toBeGreaterThan(0);
    expect(Number(report.NumErrors)).toBe(0);

    await client.wakeAgent(WEB_SERVER, polling);
    const restore = await client.createRestore({
      body: {
        BackupId: backupId,
        BackupMachineId: WEB2,
        DestinationMachineId: WEB_SERVER,
        DestinationPath: "C:\\Restored",
        OverwriteFiles: false,
      },
    });
    await client.addRestoreFile({
      body: { FilePath: "/var/www/html", Filter: "Include", FileItemType: "Folder", ParentId: restore.RestoreId },
    });
    expect(await client.listRestoreFiles({ restoreId: restore.RestoreId })).toHaveLength(1);
    await client.requestRestoreAction({ body: { Action: "StartManual", Id: restore.RestoreId } });
    const finished = await client.waitForRestore(restore.RestoreId, { ...polling, timeoutMs: 600_000 });
    expect(finished.RestoreStateId).toBe(3); // Completed
    const restoreReport = await client.getRestoreReport({ restoreId: restore.RestoreId });
    expect(Number(restoreReport.NumFilesRestored)).toBe(Number(report.FilesBackedUp));

    // The world the handlers expose saw it all.
    const tenant = handlers.world.tenants.get(DEMO.tenantId)!;
    expect(tenant.backups.get(backupId)).toBeDefined();

    // Only the production hosts were called: Identity once, then the DFW endpoint.
    const exchanges = await settled();
    const origins = new Set(exchanges.map((e) => new URL(e.url).origin));
    expect([...origins].sort()).toEqual([DFW, DEFAULT_IDENTITY_URL].sort());
    expect(exchanges.filter((e) => e.url.startsWith(DEFAULT_IDENTITY_URL))).toEqual([
      { method: "POST", url: `${DEFAULT_IDENTITY_URL}/v2.0/tokens`, status: 200 },
    ]);
    expect(exchanges.every((e) => e.status < 400)).toBe(true);
  });

  it("runs examples/walkthrough.ts itself against the regional host, its clock moved through the control API", async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void lines.push(args.join(" ")));
    const error = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void lines.push(`ERROR ${args.join(" ")}`));
    vi.stubEnv("CLOUD_BACKUP_URL", DFW);
    vi.stubEnv("CLOUD_BACKUP_TOKEN", DEMO.token);
    vi.stubEnv("CLOUD_BACKUP_TENANT", DEMO.tenantId);
    try {
      await import("../../client/examples/walkthrough.js");
      await vi.waitFor(
        () => {
          if (lines.some((l) => l.startsWith("ERROR"))) throw new Error(`the walkthrough failed:\n${lines.join("\n")}`);
          expect(lines.some((l) => /^\d+\. Restore report:/.test(l))).toBe(true);
        },
        { timeout: 30_000, interval: 20 },
      );
    } finally {
      log.mockRestore();
      error.mockRestore();
      vi.unstubAllEnvs();
    }
    expect(process.exitCode ?? 0).toBe(0);
    const text = lines.join("\n");
    expect(text).toContain(`Cloud Backup walkthrough against ${DFW} (tenant 1234)`);
    expect(text).toMatch(/Backup \d+ ended Completed\./);
    expect(text).toMatch(/Restore \d+ ended in state 3 \(Completed\)\./);
    // Its clock moves went through the control API on the same host.
    const exchanges = await settled();
    expect(exchanges.some((e) => e.url === `${DFW}/__admin/clock/advance` && e.status === 200)).toBe(true);
  });

  it("runs the README's example: the seeded manual website backup (180002) to Completed", async () => {
    const client = createBackupClient({ auth: { username: "demo", apiKey: "demo-api-key" }, region: "dfw" });
    const backupId = await client.requestBackupAction({ body: { Action: "StartManual", Id: 180002 } });
    const backup = await client.waitForBackup(backupId, { pollMs: 1, tick: () => void handlers.clock.advance(30) });
    expect(backup).toMatchObject({ BackupConfigurationId: 180002, CurrentState: "Completed" });
  });
});
