/**
 * wakeAgent, waitForBackup and waitForRestore, in-process; `tick` moves the reference
 * server's virtual clock between polls so that nothing waits in real time.
 */
import { describe, expect, it } from "vitest";
import { BackupTimeoutError, type Schemas } from "../src/index.js";
import { inProcessServer, manualConfig, recordingSleep } from "./helpers.js";

function setup() {
  const server = inProcessServer();
  const { delays, sleep } = recordingSleep();
  const client = server.client({ sleep });
  let ticks = 0;
  /** Moves the virtual clock by `seconds` per tick. */
  const tick = (seconds: number) => async () => {
    ticks++;
    await server.advance(seconds);
  };
  return { server, client, delays, tick, ticks: () => ticks };
}

describe("wakeAgent", () => {
  it("wakes the agents and polls until the agent is online", async () => {
    const { server, client, delays, tick, ticks } = setup();
    // 213563 is offline in the default world; the server brings it online 15 s after a wake-up.
    expect((await client.getAgent({ machineAgentId: 213563 })).Status).toBe("Offline");
    const agent = await client.wakeAgent(213563, { pollMs: 5_000, tick: tick(5) });
    expect(agent).toMatchObject({ MachineAgentId: 213563, Status: "Online" });
    expect(ticks()).toBe(3);
    expect(delays).toEqual([5_000, 5_000, 5_000]);
    const calls = server.exchanges.map((e) => `${e.method} ${new URL(e.url).pathname}`);
    expect(calls.filter((c) => c === "POST /v1.0/1234/user/wakeupagents")).toHaveLength(1);
    expect(calls.filter((c) => c === "GET /v1.0/1234/agent/213563")).toHaveLength(5);
    expect(server.problems).toEqual([]);
  });

  it("answers at once for an agent that is already online", async () => {
    const { client, delays } = setup();
    await expect(client.wakeAgent(213564)).resolves.toMatchObject({ Status: "Online" });
    expect(delays).toEqual([]);
  });

  it("throws BackupTimeoutError when the agent stays offline", async () => {
    const { client, delays } = setup();
    // Without a tick the frozen clock never reaches the wake-up time.
    const error = await client.wakeAgent(213563, { timeoutMs: 10_000, pollMs: 3_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 10_000, message: "agent 213563 did not come online within 10000 ms" });
    // Pauses of 3 s up to the limit: 3 + 3 + 3 + 1.
    expect(delays).toEqual([3_000, 3_000, 3_000, 1_000]);
  });
});

describe("waitForBackup", () => {
  it("polls until the backup completes and reports each state", async () => {
    const { client, tick } = setup();
    const config = await client.createBackupConfiguration({ body: manualConfig(202743, "/var/www") });
    const backupId = await client.requestBackupAction({ body: { Action: "StartManual", Id: config.BackupConfigurationId } });
    const states: Schemas["BackupState"][] = [];
    const backup = await client.waitForBackup(backupId, { pollMs: 2_000, tick: tick(2), onProgress: (b) => states.push(b.CurrentState) });
    expect(backup.BackupId).toBe(backupId);
    expect(["Completed", "CompletedWithErrors"]).toContain(backup.CurrentState);
    expect(states[0]).toBe("StartRequested");
    expect(states.at(-1)).toBe(backup.CurrentState);
    // Every state appears in order, without going back.
    const order = ["StartRequested", "Queued", "Preparing", "InProgress", "Completed", "CompletedWithErrors"];
    expect(states.map((s) => order.indexOf(s))).toEqual([...states.map((s) => order.indexOf(s))].sort((a, b) => a - b));
    expect(new Set(states)).toEqual(new Set(["StartRequested", "Queued", "Preparing", "InProgress", backup.CurrentState]));
  });

  it("returns a stopped backup as terminal", async () => {
    const { client, tick } = setup();
    const config = await client.createBackupConfiguration({ body: manualConfig(202743, "/var/www") });
    const backupId = await client.requestBackupAction({ body: { Action: "StartManual", Id: config.BackupConfigurationId } });
    await expect(client.requestBackupAction({ body: { Action: "StopManual", Id: backupId } })).resolves.toBeUndefined();
    const backup = await client.waitForBackup(backupId, { pollMs: 1_000, tick: tick(1) });
    expect(backup.CurrentState).toBe("Stopped");
  });

  it("throws BackupTimeoutError when the backup does not finish in time", async () => {
    const { client } = setup();
    const config = await client.createBackupConfiguration({ body: manualConfig(202743, "/var/www") });
    const backupId = await client.requestBackupAction({ body: { Action: "StartManual", Id: config.BackupConfigurationId } });
    await expect(client.waitForBackup(backupId, { timeoutMs: 30_000, pollMs: 10_000 })).rejects.toThrow(
      new BackupTimeoutError(`backup ${backupId} did not finish within 30000 ms`, { timeoutMs: 30_000 }),
    );
  });

  it("stops when the signal aborts", async () => {
    const server = inProcessServer();
    const client = server.client();
    const config = await client.createBackupConfiguration({ body: manualConfig(202743, "/var/www") });
    const backupId = await client.requestBackupAction({ body: { Action: "StartManual", Id: config.BackupConfigurationId } });
    const controller = new AbortController();
    const waiting = client.waitForBackup(backupId, { pollMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(new Error("no longer needed")), 20);
    await expect(waiting).rejects.toThrow("no longer needed");
  });
});

describe("waitForRestore", () => {
  it("polls until the restore completes", async () => {
    const { client, tick } = setup();
    const [available] = await client.listBackupsAvailableForRestore();
    const [latest] = await client.listCompletedBackups({ backupConfigurationId: available!.BackupConfigurationId });
    const restore = await client.createRestore({
      body: {
        BackupId: latest!.BackupId,
        BackupMachineId: available!.MachineAgentId,
        DestinationMachineId: 213564,
        DestinationPath: "C:\\Restored",
        OverwriteFiles: false,
      },
    });
    await client.requestRestoreAction({ body: { Action: "StartManual", Id: restore.RestoreId } });
    const seen: number[] = [];
    const done = await client.waitForRestore(restore.RestoreId, {
      pollMs: 5_000,
      tick: tick(5),
      onProgress: (r) => seen.push(r.RestoreStateId),
    });
    expect([3, 8]).toContain(done.RestoreStateId);
    expect(seen[0]).toBe(6);
    expect(seen.length).toBeGreaterThan(2);
  });

  it("throws BackupTimeoutError when the restore does not finish in time", async () => {
    const { client } = setup();
    const restore = await client.getRestore({ restoreId: (await client.listActivity()).find((a) => a.Type === "Restore")!.ID });
    // The demo restore finished yesterday: no wait at all.
    await expect(client.waitForRestore(restore.RestoreId, { timeoutMs: 1 })).resolves.toMatchObject({
      RestoreStateId: restore.RestoreStateId,
    });
    const fresh = await client.createRestore({
      body: {
        BackupId: restore.BackupId,
        BackupMachineId: restore.BackupMachineId,
        DestinationMachineId: 213564,
        DestinationPath: "C:\\Again",
        OverwriteFiles: true,
      },
    });
    // Never started: it stays in state 0.
    await expect(client.waitForRestore(fresh.RestoreId, { timeoutMs: 5_000, pollMs: 1_000 })).rejects.toBeInstanceOf(BackupTimeoutError);
  });
});
