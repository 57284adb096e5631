/**
 * Lifecycles on the virtual clock: backups, schedules across DST, missed runs, retention,
 * restores, encryption, vault migration, agent deletion and activity.
 */
import { describe, expect, it } from "vitest";
import { encryptPassphrase } from "../src/index.js";
import { buildFileTree, humanSize, isUnder } from "../src/world/filetree.js";
import { manualConfig, msOf, type TenantFixture, tenantFixture, testServer, weeklyConfig } from "./helpers.js";

const DAY = 86_400;
const folder = (FilePath: string) => ({ FilePath, FileItemType: "Folder" });

/** Polls `read` every `step` seconds for `seconds` and returns the distinct values seen, in order. */
async function walk<T>(f: { advance: (s: number) => Promise<unknown> }, read: () => Promise<T>, seconds: number, step = 1): Promise<T[]> {
  const seen = [await read()];
  for (let t = 0; t < seconds; t += step) {
    await f.advance(step);
    const value = await read();
    if (value !== seen.at(-1)) seen.push(value);
  }
  return seen;
}

const backupState = (f: TenantFixture, id: number) => async () => (await f.c("GET", `/backup/${id}`)).body.CurrentState as string;
const restoreState = (f: TenantFixture, id: number) => async () => (await f.c("GET", `/restore/${id}`)).body.RestoreStateId as number;
const startBackup = (f: TenantFixture, id: number) => f.c("POST", "/backup/action-requested", { body: { Action: "StartManual", Id: id } });
const startRestore = (f: TenantFixture, id: number, EncryptedPassword?: string) =>
  f.c("POST", "/restore/action-requested", {
    body: { Action: "StartManual", Id: id, ...(EncryptedPassword ? { EncryptedPassword } : {}) },
  });

describe("a manual backup", () => {
  const cases = [
    {
      given: "readable files only",
      inclusions: ["/var/www/html"],
      want: {
        states: ["StartRequested", "Queued", "Preparing", "InProgress", "Completed"],
        searched: 5,
        backedUp: 5,
        errors: [] as string[],
      },
    },
    {
      given: "a locked file (/etc/shadow)",
      inclusions: ["/var/www/html", "/etc"],
      want: {
        states: ["StartRequested", "Queued", "Preparing", "InProgress", "CompletedWithErrors"],
        searched: 9,
        backedUp: 8,
        errors: ["/etc/shadow"],
      },
    },
  ];
  it.each(cases)("walks its states as the clock advances, with $given", async ({ inclusions, want }) => {
    const f = await tenantFixture();
    const configId = await f.createConfig(manualConfig(f.linux, { Inclusions: inclusions.map(folder) }));
    const start = await startBackup(f, configId);
    expect(start.status).toBe(200);
    const id: number = start.body;

    // Counters are zero until the scan is done, then the searched count shows, then the rest.
    const preparing = await walk(f, backupState(f, id), 4);
    expect(preparing).toEqual(want.states.slice(0, 3));
    expect((await f.c("GET", `/backup/report/${id}`)).body).toMatchObject({
      State: "Preparing",
      FilesSearched: "0",
      FilesBackedUp: "0",
      CompletedTime: null,
      ErrorList: [],
    });

    const rest = await walk(f, backupState(f, id), 60);
    expect([...preparing, ...rest.slice(1)]).toEqual(want.states);

    const report = (await f.c("GET", `/backup/report/${id}`)).body;
    expect(report.FilesSearched).toMatch(/^\d+$/);
    expect(report).toMatchObject({
      State: want.states.at(-1),
      FilesSearched: String(want.searched),
      FilesBackedUp: String(want.backedUp),
      NumErrors: want.errors.length,
      CanRestore: true,
    });
    expect(report.ErrorList.map((e: any) => e.Path)).toEqual(want.errors);
    for (const e of report.ErrorList) expect(e.ExceptionDesc).toContain(e.Path);
    // The bytes searched are the sizes of the selected files of the agent's tree.
    const selected = buildFileTree(f.linux, false).files.filter(
      (file) => inclusions.some((root) => isUnder(file.path, root, false)) && !isUnder(file.path, "/var/www/html/uploads", false),
    );
    expect(selected).toHaveLength(want.searched);
    expect(report.BytesSearched).toBe(humanSize(selected.reduce((sum, file) => sum + file.size, 0)));

    // The agent and the configuration know about it.
    const agent = (await f.c("GET", `/agent/${f.linux}`)).body;
    expect(agent.TimeOfLastSuccessfulBackup).toBe(report.CompletedTime);
    expect(agent.BackupVaultSize).not.toBeNull();
    expect((await f.c("GET", `/backup-configuration/${configId}`)).body).toMatchObject({
      LastRunTime: report.StartTime,
      LastRunBackupReportId: id,
      BackupState: want.states.at(-1),
    });
  });

  it("runs incrementally the second time: only changed files are backed up", async () => {
    const f = await tenantFixture();
    const configId = await f.createConfig(manualConfig(f.linux, { Inclusions: [folder("/var/www/html"), folder("/var/log")] }));
    const first = (await f.c("GET", `/backup/report/${await f.runBackup(configId)}`)).body;
    const second = (await f.c("GET", `/backup/report/${await f.runBackup(configId)}`)).body;
    expect(first).toMatchObject({ State: "Completed", FilesSearched: "8", FilesBackedUp: "8" });
    // The three logs change between backups; the web files do not.
    expect(second).toMatchObject({ State: "Completed", FilesSearched: "8", FilesBackedUp: "3" });
    expect(msOf(second.CompletedTime) - msOf(second.StartTime)).toBeLessThan(msOf(first.CompletedTime) - msOf(first.StartTime));
  });

  it("ends Stopped when stopped mid-way, and the configuration can run again", async () => {
    const f = await tenantFixture();
    const configId = await f.createConfig();
    const id = await f.runBackup(configId, 8);
    expect(await backupState(f, id)()).toBe("InProgress");
    expect((await f.c("POST", "/backup/action-requested", { body: { Action: "StopManual", Id: id } })).status).toBe(204);
    expect(await walk(f, backupState(f, id), 10)).toEqual(["StopRequested", "Stopped"]);
    expect((await f.c("GET", `/backup/report/${id}`)).body).toMatchObject({ State: "Stopped", Reason: "StoppedByUser", CanRestore: false });
    expect((await f.c("GET", `/backup/completed/${configId}`)).body).toEqual([]);
    expect((await startBackup(f, configId)).status).toBe(200);
  });

  it("is refused with 403 on an offline agent until it is woken and 15 s have passed", async () => {
    const { call, advance } = testServer();
    const created = await call("POST", "/v1.0/1234/backup-configuration", {
      body: manualConfig(213563, { Inclusions: [folder("C:\\Websites")], Exclusions: [] }),
    });
    const start = () =>
      call("POST", "/v1.0/1234/backup/action-requested", { body: { Action: "StartManual", Id: created.body.BackupConfigurationId } });
    expect((await call("GET", "/v1.0/1234/agent/213563")).body.Status).toBe("Offline");
    const refused = await start();
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain("wakeupagents");
    expect((await call("POST", "/v1.0/1234/user/wakeupagents")).status).toBe(200);
    await advance(14);
    expect((await start()).status).toBe(403);
    await advance(1);
    expect((await start()).status).toBe(200);
  });
});

describe("scheduled backups", () => {
  it("runs Friday 7:30 PM Eastern at 23:30 UTC in summer, echoing 11:30 PM", async () => {
    const f = await tenantFixture({ clock: { start: Date.UTC(2026, 6, 1, 12), speed: 0 } });
    const created = await f.c("POST", "/backup-configuration", { body: weeklyConfig(f.linux) });
    const friday = Date.UTC(2026, 6, 3, 23, 30);
    expect(created.body).toMatchObject({
      StartTimeHour: 11,
      StartTimeMinute: 30,
      StartTimeAmPm: "PM",
      DayOfWeekId: 5,
      TimeZoneId: "Eastern Standard Time",
    });
    expect(msOf(created.body.NextScheduledRunTime)).toBe(friday);
    const id = created.body.BackupConfigurationId;

    await f.advance((friday - Date.UTC(2026, 6, 1, 12)) / 1000 - 1);
    expect((await f.c("GET", "/activity")).body).toEqual([]);
    await f.advance(1);
    const [run] = (await f.c("GET", "/activity")).body;
    expect(run).toMatchObject({ Type: "Backup", ParentId: id, CurrentState: "StartScheduled" });
    expect(msOf(run.TimeOfActivity)).toBe(friday);

    await f.advance(600);
    const completed = (await f.c("GET", `/backup/completed/${id}`)).body;
    expect(completed.map((b: any) => b.BackupId)).toEqual([run.ID]);
    expect(msOf((await f.c("GET", `/backup/report/${run.ID}`)).body.StartTime)).toBe(friday);
    const after = (await f.c("GET", `/backup-configuration/${id}`)).body;
    expect(msOf(after.NextScheduledRunTime)).toBe(Date.UTC(2026, 6, 10, 23, 30));
    expect(msOf(after.LastRunTime)).toBe(friday);
  });

  it("moves to 00:30 UTC Saturday after the November DST change", async () => {
    const start = Date.UTC(2026, 9, 28, 12); // Wednesday 28 October 2026, still EDT
    const f = await tenantFixture({ clock: { start, speed: 0 } });
    const id = await f.createConfig(weeklyConfig(f.linux));
    await f.advance(11 * DAY);
    const runs = (await f.c("GET", "/activity")).body.filter((a: any) => a.Type === "Backup");
    const starts = await Promise.all(
      runs.map(async (r: any) => new Date(msOf((await f.c("GET", `/backup/report/${r.ID}`)).body.StartTime)).toISOString()),
    );
    expect(starts.sort()).toEqual(["2026-10-30T23:30:00.000Z", "2026-11-07T00:30:00.000Z"]);
    expect((await f.c("GET", `/backup/completed/${id}`)).body).toHaveLength(2);
    const config = (await f.c("GET", `/backup-configuration/${id}`)).body;
    expect(new Date(msOf(config.NextScheduledRunTime)).toISOString()).toBe("2026-11-14T00:30:00.000Z");
    // In winter the UTC echo is 12:30 AM on Saturday.
    expect(config).toMatchObject({ StartTimeHour: 12, StartTimeMinute: 30, StartTimeAmPm: "AM", DayOfWeekId: 6 });
  });

  it("stops running while the configuration is disabled", async () => {
    const f = await tenantFixture();
    const id = await f.createConfig(weeklyConfig(f.linux));
    const off = await f.c("POST", `/backup-configuration/enable/${id}`, { body: { Enable: false } });
    expect(off.body.NextScheduledRunTime).toBeNull();
    await f.advance(15 * DAY);
    expect((await f.c("GET", "/activity")).body).toEqual([]);
    const on = await f.c("POST", `/backup-configuration/enable/${id}`, { body: { Enable: true } });
    expect(on.body.NextScheduledRunTime).not.toBeNull();
    await f.advance(7 * DAY);
    expect((await f.c("GET", `/backup/completed/${id}`)).body).toHaveLength(1);
  });

  const missed = [
    { given: "MissedBackupActionId 1 (run as soon as possible)", action: 1, want: ["Missed", "Completed"] },
    { given: "MissedBackupActionId 2 (wait for the next run)", action: 2, want: ["Missed"] },
  ];
  it.each(missed)("marks runs of a disabled agent Missed; with $given", async ({ action, want }) => {
    const f = await tenantFixture();
    const id = await f.createConfig(weeklyConfig(f.linux, { MissedBackupActionId: action }));
    const due = msOf((await f.c("GET", `/backup-configuration/${id}`)).body.NextScheduledRunTime);
    expect((await f.c("POST", "/agent/enable", { body: { MachineAgentId: f.linux, Enable: false } })).status).toBe(204);
    await f.advance(3 * DAY);
    const [miss] = (await f.c("GET", "/activity")).body;
    expect(miss).toMatchObject({ Type: "Backup", CurrentState: "Missed" });
    expect(msOf(miss.TimeOfActivity)).toBe(due);
    expect((await f.c("GET", `/backup/completed/${id}`)).body).toEqual([]);

    expect((await f.c("POST", "/agent/enable", { body: { MachineAgentId: f.linux, Enable: true } })).status).toBe(204);
    await f.advance(600);
    const states = (await f.c("GET", "/activity")).body.map((a: any) => a.CurrentState).reverse();
    expect(states).toEqual(want);
  });

  it("runs an hourly configuration every HourInterval hours", async () => {
    const f = await tenantFixture();
    const id = await f.createConfig(
      weeklyConfig(f.linux, {
        Frequency: "Hourly",
        HourInterval: 6,
        StartTimeHour: null,
        StartTimeMinute: null,
        StartTimeAmPm: null,
        DayOfWeekId: null,
      }),
    );
    const created = msOf((await f.call("GET", "/__admin/clock", { token: null })).body.msDate);
    await f.advance(DAY + 600);
    const runs = (await f.c("GET", `/backup/completed/${id}`)).body;
    // Anchored at creation: +6 h, +12 h, +18 h, +24 h.
    expect(runs).toHaveLength(4);
    const reports = await Promise.all(runs.map(async (r: any) => msOf((await f.c("GET", `/backup/report/${r.BackupId}`)).body.StartTime)));
    expect(reports.sort((a, b) => a - b)).toEqual([6, 12, 18, 24].map((h) => created + h * 3_600_000));
    const times = runs.map((r: any) => msOf(r.CompletedTime)).sort((a: number, b: number) => a - b);
    for (let i = 1; i < times.length; i++) expect(Math.round((times[i] - times[i - 1]) / 3_600_000)).toBe(6);
  });
});

describe("version retention", () => {
  const cases = [
    { retention: 30, want: "only the newer backup", keepsOld: false },
    { retention: 60, want: "both backups", keepsOld: true },
    { retention: 0, want: "both backups (kept indefinitely)", keepsOld: true },
  ];
  it.each(cases)("VersionRetention $retention keeps $want after 31 days", async ({ retention, keepsOld }) => {
    const f = await tenantFixture();
    const configId = await f.createConfig(manualConfig(f.linux, { VersionRetention: retention }));
    const old = await f.runBackup(configId);
    await f.advance(31 * DAY);
    await f.wake(f.token);
    const recent = await f.runBackup(configId);
    const listed = (await f.c("GET", `/backup/completed/${configId}`)).body.map((b: any) => b.BackupId);
    expect(listed).toEqual(keepsOld ? [recent, old] : [recent]);
    expect((await f.c("GET", `/backup/report/${old}`)).body.CanRestore).toBe(keepsOld);
    const cleanups = (await f.c("GET", "/activity")).body.filter((a: any) => a.Type === "Cleanup");
    if (keepsOld) {
      expect(cleanups).toEqual([]);
    } else {
      expect(cleanups).toHaveLength(1);
      expect(cleanups[0]).toMatchObject({ SourceMachineAgentId: f.linux, CurrentState: "Completed", BackupId: null });
      // The old version goes when the new one is complete (it was over 30 days old by then).
      expect(cleanups[0].TimeOfActivity).toBe((await f.c("GET", `/backup/report/${recent}`)).body.CompletedTime);
      const restorable = (await f.c("GET", "/backup/availableforrestore")).body;
      expect(restorable).toHaveLength(1);
    }
  });

  it("keeps the newest version even when it is older than the retention", async () => {
    const f = await tenantFixture();
    const configId = await f.createConfig(manualConfig(f.linux, { VersionRetention: 30 }));
    const only = await f.runBackup(configId);
    await f.advance(90 * DAY);
    expect((await f.c("GET", `/backup/completed/${configId}`)).body.map((b: any) => b.BackupId)).toEqual([only]);
    expect((await f.c("GET", "/activity")).body.filter((a: any) => a.Type === "Cleanup")).toEqual([]);
  });

  it("expires daily backups older than 30 days and records a cleanup for each", async () => {
    const f = await tenantFixture();
    const id = await f.createConfig(
      weeklyConfig(f.linux, { Frequency: "Daily", DayOfWeekId: null, StartTimeHour: 2, StartTimeAmPm: "AM", VersionRetention: 30 }),
    );
    await f.advance(40 * DAY);
    const all = (await f.c("GET", "/activity")).body;
    const runs = all.filter((a: any) => a.Type === "Backup");
    const cleanups = all.filter((a: any) => a.Type === "Cleanup");
    const listed = (await f.c("GET", `/backup/completed/${id}`)).body;
    expect(runs.length).toBe(40);
    expect(listed.length + cleanups.length).toBe(runs.length);
    const now = (await f.call("GET", "/__admin/clock", { token: null })).body.now;
    for (const b of listed) expect(msOf(b.CompletedTime)).toBeGreaterThan(now - 30 * DAY * 1000 - 86_400_000);
    expect(cleanups.length).toBeGreaterThanOrEqual(9);
  });
});

describe("restores", () => {
  async function backedUp(f: TenantFixture) {
    const configId = await f.createConfig(manualConfig(f.linux, { Inclusions: [folder("/var/www/html"), folder("/var/log")] }));
    return { configId, backupId: await f.runBackup(configId) };
  }

  it("are configured in Creating: files in every form, listed, deleted, updated; then walk 6, 1, 9, 2, 3", async () => {
    const f = await tenantFixture();
    const { configId, backupId } = await backedUp(f);
    const restoreId = await f.createRestore(backupId);
    expect(await restoreState(f, restoreId)()).toBe(0);

    const forms = [
      { FilePath: "/var/www/html", Filter: 1, FileItemType: 1 },
      { FilePath: "/var/log", Filter: "1", FileItemType: "1" },
      { FilePath: "/var/www/html/app.js", Filter: "Exclude", FileItemType: "File" },
      { FilePath: "/var/log/auth.log", Filter: "2", FileItemType: "0" },
    ];
    for (const form of forms) expect((await f.c("PUT", "/restore/files", { body: { ...form, ParentId: restoreId } })).status).toBe(200);
    const files = (await f.c("GET", `/restore/files/${restoreId}`)).body;
    expect(files.map((x: any) => [x.FilePath, x.Filter, x.FileItemType])).toEqual([
      ["/var/www/html", 1, 1],
      ["/var/log", 1, 1],
      ["/var/www/html/app.js", 2, 0],
      ["/var/log/auth.log", 2, 0],
    ]);
    for (const file of files) expect(file).toMatchObject({ FileId: expect.any(Number), RestoreId: restoreId });
    // The restore view splits them into inclusions and exclusions.
    const view = (await f.c("GET", `/restore/${restoreId}`)).body;
    expect(view.Inclusions.map((x: any) => x.FilePath)).toEqual(["/var/www/html", "/var/log"]);
    expect(view.Exclusions.map((x: any) => x.FilePath)).toEqual(["/var/www/html/app.js", "/var/log/auth.log"]);

    // Remove the /var/log inclusion: only the web files come back.
    expect((await f.c("DELETE", `/restore/files/${files[1].FileId}`)).status).toBe(204);
    expect((await f.c("GET", `/restore/files/${restoreId}`)).body.map((x: any) => x.FileId)).toEqual([
      files[0].FileId,
      files[2].FileId,
      files[3].FileId,
    ]);

    const update = {
      RestoreId: restoreId,
      BackupId: backupId,
      BackupMachineId: f.linux,
      DestinationMachineId: f.linux,
      OverwriteFiles: false,
      BackupConfigurationId: configId,
      DestinationPath: "/srv/restored",
      RestoreStateId: 0,
    };
    expect((await f.c("POST", "/restore", { body: update })).status).toBe(204);
    expect((await f.c("GET", `/restore/${restoreId}`)).body.DestinationPath).toBe("/srv/restored");

    // The destination must be online to start.
    await f.advance(31 * 60);
    expect((await startRestore(f, restoreId)).status).toBe(403);
    await f.wake(f.token);
    expect((await startRestore(f, restoreId)).status).toBe(204);
    expect(await walk(f, restoreState(f, restoreId), 60)).toEqual([6, 1, 9, 2, 3]);

    const expected = buildFileTree(f.linux, false).files.filter(
      (x) => isUnder(x.path, "/var/www/html", false) && !x.path.includes("uploads") && !x.path.endsWith("app.js"),
    );
    const report = (await f.c("GET", `/restore/report/${restoreId}`)).body;
    expect(report).toMatchObject({
      State: "Completed",
      NumFilesRestored: String(expected.length),
      NumBytesRestored: humanSize(expected.reduce((sum, x) => sum + x.size, 0)),
      NumErrors: "0",
      BackupReportId: backupId,
      BackupConfigurationId: configId,
      RestoreDestinationMachineId: f.linux,
    });
    expect(expected).toHaveLength(4);
    expect(msOf(report.CompletedTime)).toBeGreaterThan(msOf(report.StartTime));
  });

  it("restore everything when there are no inclusions", async () => {
    const f = await tenantFixture();
    const { backupId } = await backedUp(f);
    const restoreId = await f.createRestore(backupId);
    await startRestore(f, restoreId);
    await f.advance(120);
    expect((await f.c("GET", `/restore/report/${restoreId}`)).body).toMatchObject({ State: "Completed", NumFilesRestored: "8" });
  });

  it("end CompletedWithErrors when overwriting files in use in place", async () => {
    const f = await tenantFixture();
    const { backupId } = await backedUp(f);
    const restoreId = await f.createRestore(backupId, { OverwriteFiles: true });
    await f.c("PUT", "/restore/files", { body: { FilePath: "/var/log", Filter: 1, ParentId: restoreId, FileItemType: 1 } });
    await startRestore(f, restoreId);
    await f.advance(120);
    expect(await restoreState(f, restoreId)()).toBe(8);
    const report = (await f.c("GET", `/restore/report/${restoreId}`)).body;
    expect(report).toMatchObject({ State: "CompletedWithErrors", NumErrors: "3", Reason: "UnableToProcessSomeFiles" });
    expect(report.ErrorList.map((e: any) => e.Path).sort()).toEqual(["/var/log/auth.log", "/var/log/nginx-access.log", "/var/log/syslog"]);
  });

  it("restore to another agent, which shows in both agents' activity", async () => {
    const f = await tenantFixture();
    const { backupId } = await backedUp(f);
    const restoreId = await f.createRestore(backupId, { DestinationMachineId: f.windows, DestinationPath: "C:\\Restored" });
    const view = (await f.c("GET", `/restore/${restoreId}`)).body;
    expect(view).toMatchObject({ BackupMachineId: f.linux, DestinationMachineId: f.windows, DestinationMachineName: "win-2" });
    expect(view.PublicKey).toEqual(await f.publicKey(f.windows));
    expect((await startRestore(f, restoreId)).status).toBe(204);
    await f.advance(120);
    expect((await f.c("GET", `/restore/report/${restoreId}`)).body).toMatchObject({
      State: "Completed",
      RestoreDestination: "win-2",
      RestoreDestinationMachineId: f.windows,
    });
    for (const agent of [f.linux, f.windows]) {
      const activity = (await f.c("GET", `/system/activity/${agent}`)).body;
      expect(activity.find((a: any) => a.Type === "Restore")).toMatchObject({
        ID: restoreId,
        SourceMachineAgentId: f.linux,
        DestinationMachineAgentId: f.windows,
        CurrentState: "Completed",
      });
    }
  });

  it("end Stopped (4) when stopped", async () => {
    const f = await tenantFixture();
    const { backupId } = await backedUp(f);
    const restoreId = await f.createRestore(backupId);
    await startRestore(f, restoreId);
    await f.advance(8);
    expect(await restoreState(f, restoreId)()).toBe(2);
    expect((await f.c("POST", "/restore/action-requested", { body: { Action: "StopManual", Id: restoreId } })).status).toBe(204);
    expect(await walk(f, restoreState(f, restoreId), 10)).toEqual([7, 4]);
    expect((await f.c("GET", `/restore/report/${restoreId}`)).body).toMatchObject({ State: "Stopped", Reason: "StoppedByUser" });
  });

  describe("of an encrypted backup (default world, agent 95874, passphrase demo-passphrase)", () => {
    async function encryptedRestore(destination = 95874, path = "D:\\Restore") {
      const server = testServer();
      const backups = (await server.call("GET", "/v1.0/1234/backup/completed/180001")).body;
      expect(backups.length).toBeGreaterThan(0);
      const created = await server.call("PUT", "/v1.0/1234/restore", {
        body: {
          BackupId: backups[0].BackupId,
          BackupMachineId: 95874,
          DestinationMachineId: destination,
          DestinationPath: path,
          OverwriteFiles: false,
        },
      });
      expect(created.status).toBe(200);
      expect(created.body.IsEncrypted).toBe(true);
      const start = (EncryptedPassword?: string) =>
        server.call("POST", "/v1.0/1234/restore/action-requested", {
          body: { Action: "StartManual", Id: created.body.RestoreId, ...(EncryptedPassword ? { EncryptedPassword } : {}) },
        });
      return { ...server, restore: created.body, start };
    }

    it("needs EncryptedPassword", async () => {
      const { start, restore, call } = await encryptedRestore();
      const res = await start();
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        expect.objectContaining({ pointer: "/EncryptedPassword", message: expect.stringContaining("is required") }),
      ]);
      expect((await call("GET", `/v1.0/1234/restore/${restore.RestoreId}`)).body.RestoreStateId).toBe(0);
    });

    it("refuses the wrong passphrase with 400", async () => {
      const { start, restore } = await encryptedRestore();
      const res = await start(encryptPassphrase(restore.PublicKey, "not-the-passphrase"));
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toMatchObject({ pointer: "/EncryptedPassword", message: expect.stringContaining("does not match") });
    });

    it("refuses the passphrase encrypted with another key than the restore's PublicKey", async () => {
      const { start, call } = await encryptedRestore();
      const otherKey = (await call("GET", "/v1.0/1234/agent/213564")).body.PublicKey;
      const res = await start(encryptPassphrase(otherKey, "demo-passphrase"));
      expect(res.status).toBe(400);
      expect(res.body.errors[0].pointer).toBe("/EncryptedPassword");
    });

    it.each([
      { given: "in place", destination: 95874, path: "D:\\Restore" },
      { given: "to another agent", destination: 213564, path: "C:\\FromDb" },
    ])("starts $given with the passphrase encrypted with the restore's PublicKey", async ({ destination, path }) => {
      const { start, restore, call, advance } = await encryptedRestore(destination, path);
      expect(restore.PublicKey).toEqual((await call("GET", `/v1.0/1234/agent/${destination}`)).body.PublicKey);
      const hex = encryptPassphrase(restore.PublicKey, "demo-passphrase");
      expect((await start(hex)).status).toBe(204);
      const view = (await call("GET", `/v1.0/1234/restore/${restore.RestoreId}`)).body;
      expect(view).toMatchObject({ RestoreStateId: 6, IsEncrypted: true, EncryptedPassword: hex });
      await advance(600);
      expect([3, 8]).toContain((await call("GET", `/v1.0/1234/restore/${restore.RestoreId}`)).body.RestoreStateId);
    });
  });
});

describe("encryption", () => {
  it("is one-way: enabled once (IsEncrypted), a second enable is 409, later backups are encrypted", async () => {
    const f = await tenantFixture();
    const key = await f.publicKey(f.linux);
    const configId = await f.createConfig();
    const before = await f.runBackup(configId);
    const enable = (passphrase: string) =>
      f.c("POST", "/agent/encrypt", { body: { MachineAgentId: f.linux, EncryptedPasswordHex: encryptPassphrase(key, passphrase) } });
    expect((await enable("first")).status).toBe(200);
    expect((await f.c("GET", `/agent/${f.linux}`)).body.IsEncrypted).toBe(true);
    const again = await enable("second");
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain("changeEncryptionPassword");
    expect((await f.c("GET", `/agent/${f.linux}`)).body.IsEncrypted).toBe(true);

    const after = await f.runBackup(configId);
    expect((await f.c("GET", `/backup/${before}`)).body.IsEncrypted).toBe(false);
    expect((await f.c("GET", `/backup/${after}`)).body.IsEncrypted).toBe(true);
    expect((await f.c("GET", `/backup-configuration/${configId}`)).body.IsEncrypted).toBe(true);
    expect((await f.c("GET", "/backup/availableforrestore")).body[0].IsEncrypted).toBe(true);

    // A restore of the encrypted backup needs the passphrase ("first").
    const restoreId = await f.createRestore(after);
    const restoreKey = (await f.c("GET", `/restore/${restoreId}`)).body.PublicKey;
    expect((await startRestore(f, restoreId, encryptPassphrase(restoreKey, "second"))).status).toBe(400);
    expect((await startRestore(f, restoreId, encryptPassphrase(restoreKey, "first"))).status).toBe(204);
  });

  it("changes the passphrase only when the old one matches", async () => {
    const f = await tenantFixture();
    const key = await f.publicKey(f.linux);
    expect(
      (await f.c("POST", "/agent/encrypt", { body: { MachineAgentId: f.linux, EncryptedPasswordHex: encryptPassphrase(key, "old") } }))
        .status,
    ).toBe(200);
    const change = (from: string, to: string) =>
      f.c("POST", "/agent/changeencryption", {
        body: {
          MachineAgentId: f.linux,
          OldEncryptedPasswordHex: encryptPassphrase(key, from),
          NewEncryptedPasswordHex: encryptPassphrase(key, to),
        },
      });
    const wrong = await change("guess", "new");
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0]).toMatchObject({ pointer: "/OldEncryptedPasswordHex", message: "does not match the current passphrase" });
    expect((await change("old", "new")).status).toBe(200);
    // A restore now needs the new passphrase.
    const configId = await f.createConfig();
    const restoreId = await f.createRestore(await f.runBackup(configId));
    const restoreKey = (await f.c("GET", `/restore/${restoreId}`)).body.PublicKey;
    expect((await startRestore(f, restoreId, encryptPassphrase(restoreKey, "old"))).status).toBe(400);
    expect((await startRestore(f, restoreId, encryptPassphrase(restoreKey, "new"))).status).toBe(204);
  });
});

describe("vault migration", () => {
  it("moves configurations and backups to the destination agent", async () => {
    const f = await tenantFixture({}, { agents: 3 });
    const [source, , destination] = f.tenant.agents as [number, number, number];
    const configId = await f.createConfig(manualConfig(source));
    const backupId = await f.runBackup(configId);
    const restoreId = await f.createRestore(backupId, { BackupMachineId: source, DestinationMachineId: source });
    expect(
      (await f.c("PUT", "/agent/migratevault", { body: { SourceMachineAgentId: source, DestinationMachineAgentId: destination } })).status,
    ).toBe(200);

    expect((await f.c("GET", `/backup-configuration/system/${source}`)).body).toEqual([]);
    expect((await f.c("GET", `/backup-configuration/system/${destination}`)).body).toMatchObject([
      { BackupConfigurationId: configId, MachineAgentId: destination, MachineName: "web-3" },
    ]);
    expect((await f.c("GET", `/backup/${backupId}`)).body).toMatchObject({ MachineAgentId: destination, MachineName: "web-3" });
    expect((await f.c("GET", `/backup/completed/${configId}`)).body).toMatchObject([{ BackupId: backupId, MachineAgentId: destination }]);
    // The restore of a moved backup follows it.
    expect((await f.c("GET", `/restore/${restoreId}`)).body.BackupMachineId).toBe(destination);
    // The vault (backup container) is the source's.
    const sourceAgent = (await f.c("GET", `/agent/${source}`)).body;
    expect((await f.c("GET", `/agent/${destination}`)).body.BackupContainer).toBe(sourceAgent.BackupContainer);
    // New runs happen on the destination, and new restores name it as the backup's agent.
    const next = await f.runBackup(configId);
    expect((await f.c("GET", `/backup/${next}`)).body.MachineAgentId).toBe(destination);
    const moved = await f.c("PUT", "/restore", {
      body: {
        BackupId: backupId,
        BackupMachineId: source,
        DestinationMachineId: destination,
        DestinationPath: "/r",
        OverwriteFiles: false,
      },
    });
    expect(moved.status).toBe(400);
    expect(moved.body.errors[0].pointer).toBe("/BackupMachineId");
    expect((await f.c("GET", `/system/activity/${source}`)).body.filter((a: any) => a.Type === "Backup")).toEqual([]);
    // Deleting the old agent afterwards leaves the moved data readable.
    expect((await f.c("POST", "/agent/delete", { body: { MachineAgentId: source } })).status).toBe(204);
    expect((await f.c("GET", `/restore/${restoreId}`)).status).toBe(200);
    expect((await f.c("GET", `/backup/${backupId}`)).status).toBe(200);
  });
});

describe("deleting an agent", () => {
  it("removes its configurations, backups and the restores of those backups, and leaves the other agent alone", async () => {
    const f = await tenantFixture();
    const linuxConfig = await f.createConfig();
    const linuxBackup = await f.runBackup(linuxConfig);
    const inPlace = await f.createRestore(linuxBackup);
    const toWindows = await f.createRestore(linuxBackup, { DestinationMachineId: f.windows, DestinationPath: "C:\\r" });
    const windowsConfig = await f.createConfig(manualConfig(f.windows, { Inclusions: [folder("C:\\Websites")], Exclusions: [] }));
    const windowsBackup = await f.runBackup(windowsConfig);
    const toLinux = await f.createRestore(windowsBackup, {
      BackupMachineId: f.windows,
      DestinationMachineId: f.linux,
      DestinationPath: "/from-windows",
    });

    expect((await f.c("POST", "/agent/delete", { body: { MachineAgentId: f.linux } })).status).toBe(204);
    expect((await f.c("GET", `/agent/${f.linux}`)).status).toBe(404);
    expect((await f.c("GET", `/backup-configuration/${linuxConfig}`)).status).toBe(404);
    expect((await f.c("GET", `/backup/${linuxBackup}`)).status).toBe(404);
    expect((await f.c("GET", `/backup/report/${linuxBackup}`)).status).toBe(404);
    expect((await f.c("GET", `/backup/completed/${linuxConfig}`)).status).toBe(404);
    expect((await f.c("GET", `/system/activity/${f.linux}`)).status).toBe(404);
    for (const id of [inPlace, toWindows]) {
      expect((await f.c("GET", `/restore/${id}`)).status).toBe(404);
      expect((await f.c("GET", `/restore/report/${id}`)).status).toBe(404);
    }
    expect((await f.c("GET", "/backup-configuration")).body.map((c: any) => c.BackupConfigurationId)).toEqual([windowsConfig]);
    expect((await f.c("GET", "/backup/availableforrestore")).body.map((b: any) => b.MachineAgentId)).toEqual([f.windows]);
    expect((await f.c("GET", `/backup/${windowsBackup}`)).status).toBe(200);
    // A restore of the other agent's backup to the deleted agent stays readable, and cannot start.
    expect((await f.c("GET", `/restore/${toLinux}`)).body).toMatchObject({ RestoreId: toLinux, DestinationMachineId: f.linux });
    expect((await f.c("POST", "/restore/action-requested", { body: { Action: "StartManual", Id: toLinux } })).status).toBe(404);
    const activity = (await f.c("GET", "/activity")).body;
    expect(activity.filter((a: any) => a.Type === "Backup").map((a: any) => a.ID)).toEqual([windowsBackup]);
  });

  it("leaves no readable trace in the default world either (restore 20000 of agent 213564)", async () => {
    const { call } = testServer();
    expect((await call("POST", "/v1.0/1234/agent/delete", { body: { MachineAgentId: 213564 } })).status).toBe(204);
    expect((await call("GET", "/v1.0/1234/restore/20000")).status).toBe(404);
    expect((await call("GET", "/v1.0/1234/restore/report/20000")).status).toBe(404);
    const activity = (await call("GET", "/v1.0/1234/activity")).body;
    expect(activity.some((a: any) => a.SourceMachineAgentId === 213564)).toBe(false);
  });
});

describe("activity", () => {
  it("reflects backups, restores and cleanups, newest first, for the user and for each agent", async () => {
    const f = await tenantFixture();
    const configId = await f.createConfig(manualConfig(f.linux, { VersionRetention: 30 }));
    const first = await f.runBackup(configId);
    await f.advance(31 * DAY);
    await f.wake(f.token);
    const second = await f.runBackup(configId);
    const restoreId = await f.createRestore(second, { DestinationMachineId: f.windows, DestinationPath: "C:\\r" });
    expect((await startRestore(f, restoreId)).status).toBe(204);
    await f.advance(120);

    const all = (await f.c("GET", "/activity")).body;
    expect(all.map((a: any) => a.Type).sort()).toEqual(["Backup", "Backup", "Cleanup", "Restore"]);
    const times = all.map((a: any) => msOf(a.TimeOfActivity));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(all.find((a: any) => a.Type === "Backup" && a.ID === first)).toMatchObject({
      CurrentState: "Completed",
      BackupId: first,
      ParentId: configId,
    });
    expect(all.find((a: any) => a.Type === "Restore")).toMatchObject({
      ID: restoreId,
      BackupId: second,
      CurrentState: "Completed",
      DestinationMachineAgentId: f.windows,
    });
    expect(all.find((a: any) => a.Type === "Cleanup")).toMatchObject({ SourceMachineAgentId: f.linux });

    const linux = (await f.c("GET", `/system/activity/${f.linux}`)).body;
    expect(linux).toEqual(all);
    const windows = (await f.c("GET", `/system/activity/${f.windows}`)).body;
    expect(windows.map((a: any) => `${a.Type} ${a.ID}`)).toEqual([`Restore ${restoreId}`]);
  });

  it("shows a running backup with its current state, then its final one", async () => {
    const f = await tenantFixture();
    const id = await f.runBackup(await f.createConfig(), 5);
    expect((await f.c("GET", "/activity")).body[0]).toMatchObject({ ID: id, CurrentState: "Preparing" });
    await f.advance(60);
    expect((await f.c("GET", "/activity")).body[0]).toMatchObject({ ID: id, CurrentState: "Completed" });
  });
});
