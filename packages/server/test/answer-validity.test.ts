/**
 * Reads reused on a running clock are never stale: every kept answer is checked against the
 * same read computed afresh at the same virtual time, at each time the world's state changes,
 * one millisecond before it and one after (backup and restore steps, agents going online and
 * idle, scheduled runs, version expiry, the seconds of a running duration).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { handlers } from "../src/handlers.js";
import { agentView } from "../src/resources/agents/views.js";
import { IDLE_AFTER_MS, NEVER, type World } from "../src/world/world.js";
import { manualConfig, T0, testServer, weeklyConfig } from "./helpers.js";

/** Real time (fake) at which the virtual clock starts at T0. */
const REAL0 = Date.UTC(2030, 0, 1);
const HOUR = 3_600_000;

beforeEach(() => {
  // Only Date is faked: the chunked answers wait on setImmediate.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(REAL0);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function runningServer() {
  const server = testServer({ clock: { start: T0, speed: 1 } });
  /** Moves real time so that the virtual clock reads `virtual` (speed 1). */
  const at = (virtual: number) => vi.setSystemTime(Date.now() + (virtual - server.app.clock.now()));
  return { ...server, at };
}

type Read = { path: string; op: keyof typeof handlers; params: Record<string, unknown> };

/** Every read of the demo account's current state, with the handler and parameters that answer it. */
function reads(world: World): Read[] {
  const tenant = world.tenants.get("1234")!;
  const P = "/v1.0/1234";
  const out: Read[] = [
    { path: `${P}/activity`, op: "listActivity", params: {} },
    { path: `${P}/user/agents`, op: "listAgents", params: {} },
    { path: `${P}/backup-configuration`, op: "listBackupConfigurations", params: {} },
    { path: `${P}/backup/availableforrestore`, op: "listBackupsAvailableForRestore", params: {} },
    { path: "/v1.0/backup-configuration", op: "listBackupConfigurations", params: {} },
  ];
  for (const agent of tenant.agents.values()) {
    out.push({ path: `${P}/agent/${agent.id}`, op: "getAgent", params: { machineAgentId: agent.id } });
    out.push({ path: `${P}/agent/server/${agent.hostServerId}`, op: "getAgentByHostServer", params: { hostServerId: agent.hostServerId } });
    out.push({ path: `${P}/system/activity/${agent.id}`, op: "listAgentActivity", params: { agentId: agent.id } });
    out.push({
      path: `${P}/backup-configuration/system/${agent.id}`,
      op: "listAgentBackupConfigurations",
      params: { machineAgentId: agent.id },
    });
  }
  for (const config of tenant.configs.values()) {
    out.push({
      path: `${P}/backup-configuration/${config.id}`,
      op: "getBackupConfiguration",
      params: { backupConfigurationId: config.id },
    });
    out.push({ path: `${P}/backup/completed/${config.id}`, op: "listCompletedBackups", params: { backupConfigurationId: config.id } });
  }
  // The newest backups (the ones still moving) and every restore.
  for (const backup of [...tenant.backups.values()].slice(-4)) {
    out.push({ path: `${P}/backup/${backup.id}`, op: "getBackup", params: { backupId: backup.id } });
    out.push({ path: `${P}/backup/report/${backup.id}`, op: "getBackupReport", params: { backupId: backup.id } });
  }
  for (const restore of tenant.restores.values()) {
    out.push({ path: `${P}/restore/${restore.id}`, op: "getRestore", params: { restoreId: restore.id } });
    out.push({ path: `${P}/restore/report/${restore.id}`, op: "getRestoreReport", params: { restoreId: restore.id } });
  }
  return out;
}

/** The read computed afresh at the clock's time, bypassing every kept answer. */
function fresh(world: World, now: number, read: Read): unknown {
  world.catchUp(now);
  const tenant = world.tenants.get("1234")!;
  const handler = handlers[read.op] as unknown as (ctx: unknown) => { body?: unknown };
  return JSON.parse(JSON.stringify(handler({ world, tenant, params: { tenant_id: "1234", ...read.params }, now, body: undefined }).body));
}

/**
 * The times after `after` at which some read may change, found from the world's raw state
 * (not from the reuse logic under test): steps, agent transitions, due runs, expiries, and the
 * first seconds of every running duration.
 */
function eventsAfter(world: World, after: number): number[] {
  const times: number[] = [];
  const add = (t: number | null | undefined) => {
    if (t !== null && t !== undefined && t > after && t !== NEVER) times.push(t);
  };
  const tenant = world.tenants.get("1234")!;
  for (const agent of tenant.agents.values()) {
    add(agent.onlineFrom);
    add(agent.lastActivity + IDLE_AFTER_MS + 1);
  }
  for (const config of tenant.configs.values()) {
    add(config.nextRun);
    add((Math.floor(after / HOUR) + 1) * HOUR);
  }
  for (const backup of tenant.backups.values()) {
    add(backup.startedAt);
    for (const step of backup.timeline) add(step.at);
    const end = backup.timeline.at(-1)!.at;
    const retention = tenant.configs.get(backup.configId)?.versionRetention ?? 0;
    if (retention) add(end + retention * 86_400_000);
    if (end > after) for (let k = 0; k < 3; k++) add(backup.startedAt + k * 1000 + 500);
  }
  for (const restore of tenant.restores.values()) {
    for (const step of restore.timeline) add(step.at);
    const started = restore.timeline[1]?.at;
    if (started !== undefined && restore.timeline.at(-1)!.at > after) for (let k = 0; k < 3; k++) add(started + k * 1000 + 500);
  }
  return [...new Set(times)].sort((a, b) => a - b);
}

/** At each event (and 1 ms either side) until `end`, every read twice, each equal to the fresh read. */
async function sweep(s: ReturnType<typeof runningServer>, end: number, token = "demo-token") {
  let probes = 0;
  let now = s.app.clock.now();
  for (;;) {
    const next = eventsAfter(s.app.world, now)[0];
    if (next === undefined || next > end) break;
    for (const t of [next - 1, next, next + 1]) {
      if (t <= now) continue;
      s.at(t);
      now = t;
      for (const read of reads(s.app.world)) {
        for (let i = 0; i < 2; i++) {
          const answer = await s.call("GET", read.path, { token });
          expect(s.app.clock.now()).toBe(t);
          expect(answer.body, `${read.path} at T0+${t - T0} ms (call ${i + 1})`).toEqual(fresh(s.app.world, t, read));
        }
      }
      probes++;
    }
  }
  return probes;
}

describe("reused answers on a running clock", () => {
  it("are reused while nothing changes, whatever the clock's speed", async () => {
    const s = runningServer();
    const spy = vi.spyOn(handlers, "getAgent");
    const first = await s.call("GET", "/v1.0/1234/agent/202743");
    s.at(T0 + 1000);
    const later = await s.call("GET", "/v1.0/1234/agent/202743");
    expect(later.body).toEqual(first.body);
    expect(spy).toHaveBeenCalledTimes(1);
    // A write to the world is seen at once.
    expect((await s.call("POST", "/v1.0/1234/agent/enable", { body: { MachineAgentId: 202743, Enable: false } })).status).toBe(204);
    expect((await s.call("GET", "/v1.0/1234/agent/202743")).body.IsDisabled).toBe(true);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it("hold exactly until the first time something they read changes", () => {
    const s = runningServer();
    const world = s.app.world;
    const tenant = world.tenants.get("1234")!;
    const agent = tenant.agents.get(202743)!;
    const now = s.app.clock.now();
    world.catchUp(now);
    const { value, until } = world.readAt(now, () => agentView(world, tenant, agent, now));
    expect(value.Status).toBe("Online");
    // Online until 30 minutes after its last activity, or the next scheduled run, whichever is first.
    expect(until).toBe(Math.min(agent.lastActivity + IDLE_AFTER_MS + 1, world.nextDue()));
    expect(world.readAt(until - 1, () => agentView(world, tenant, agent, until - 1)).value.Status).toBe(value.Status);
  });

  it("agree with a fresh read at every change of the demo world over a working day", async () => {
    const s = runningServer();
    // Something of everything: a wake-up, a manual backup, an hourly schedule, a restore of a completed backup.
    await s.wake();
    const hourly = await s.call("POST", "/v1.0/1234/backup-configuration", {
      body: manualConfig(202743, { BackupConfigurationName: "hourly", Frequency: "Hourly", HourInterval: 1 }),
    });
    expect(hourly.status).toBe(200);
    const weekly = await s.call("POST", "/v1.0/1234/backup-configuration", {
      body: weeklyConfig(202743, { BackupConfigurationName: "inactive weekly", IsActive: false }),
    });
    expect(weekly.status).toBe(200);
    const manual = [...s.app.world.tenants.get("1234")!.configs.values()].find((c) => c.name === "Manual Website Backup")!;
    expect((await s.call("POST", "/v1.0/1234/backup/action-requested", { body: { Action: "StartManual", Id: manual.id } })).status).toBe(
      200,
    );
    const restorable = (await s.call("GET", "/v1.0/1234/backup/availableforrestore")).body[0];
    const completed = (await s.call("GET", `/v1.0/1234/backup/completed/${restorable.BackupConfigurationId}`)).body[0];
    const restore = await s.call("PUT", "/v1.0/1234/restore", {
      body: {
        BackupId: completed.BackupId,
        BackupMachineId: restorable.MachineAgentId,
        DestinationMachineId: 202743,
        DestinationPath: "/srv/r",
        OverwriteFiles: false,
      },
    });
    expect(restore.status).toBe(200);
    expect(
      (await s.call("POST", "/v1.0/1234/restore/action-requested", { body: { Action: "StartManual", Id: restore.body.RestoreId } })).status,
    ).toBe(204);
    const probes = await sweep(s, s.app.clock.now() + 3 * HOUR);
    expect(probes).toBeGreaterThan(30);
  }, 300_000);

  it("agree with a fresh read as versions expire", async () => {
    const s = runningServer();
    const hourly = await s.call("POST", "/v1.0/1234/backup-configuration", {
      body: manualConfig(202743, { BackupConfigurationName: "hourly", Frequency: "Hourly", HourInterval: 1, VersionRetention: 30 }),
    });
    expect(hourly.status).toBe(200);
    // Thirty days of hourly runs; from then on every run expires an old version.
    await s.advance(30 * 24 * 3600);
    const probes = await sweep(s, s.app.clock.now() + 2 * HOUR);
    expect(probes).toBeGreaterThan(10);
  }, 300_000);
});
