/** Builds the world a seed describes (see `seed-format.ts`). */
import type { ScheduleInput } from "../schedule/index.js";
import { putConfig } from "../resources/backup-configurations/model.js";
import { putRestore } from "../resources/restore-configurations/model.js";
import { checkReferences } from "./seed-check.js";
import { type SeedBackup, SeedError, seedProblems, type SeedRestore, type SeedTime, type WorldSeed } from "./seed-format.js";
import { RESTORE_ID } from "./states.js";
import { type Backup, type BackupConfiguration, NEVER, type Restore, type Tenant } from "./types.js";
import type { World } from "./world.js";

const ms = (base: number, t: SeedTime) => base + Math.round(t * 1000);

const DEFAULT_SCHEDULE: ScheduleInput = {
  Frequency: "Manually",
  StartTimeHour: null,
  StartTimeMinute: null,
  StartTimeAmPm: null,
  DayOfWeekId: null,
  HourInterval: null,
  TimeZoneId: "Eastern Standard Time",
};

/**
 * Builds the world a seed describes, at `now` (the clock's start): checked first, so a bad
 * seed changes nothing and throws a SeedError naming each problem by JSON pointer.
 */
export function loadSeed(world: World, seed: WorldSeed, now: number): void {
  const problems = seedProblems(seed);
  if (problems.length) throw new SeedError(problems);
  checkReferences(seed);
  const at = (t: SeedTime | undefined, fallback = now) => (t === undefined ? fallback : ms(now, t));

  // Things that happen over time (scheduled runs, backups, restores) are played in time order.
  type Event = { at: number; order: number; run: () => void };
  const events: Event[] = [];
  let order = 0;
  const backupIds = new Map<string, Map<number, Backup>>();

  for (const [ti, t] of seed.tenants.entries()) {
    const tenant = world.createTenant(t.id);
    for (const token of t.tokens ?? []) {
      world.tokens.set(token.token, {
        tenantId: t.id,
        role: token.role ?? "cloudBackup:admin",
        ...(token.expiresAt !== undefined ? { expires: ms(now, token.expiresAt) } : {}),
      });
    }
    for (const u of t.users ?? [])
      world.users.set(u.username, {
        username: u.username,
        apiKey: u.apiKey,
        password: u.password,
        tenantId: t.id,
        role: u.role ?? "cloudBackup:admin",
      });
    for (const a of t.agents ?? []) {
      const agent = world.addAgent(
        tenant,
        {
          id: a.id,
          name: a.name,
          os: a.os,
          windows: a.windows,
          datacenter: a.datacenter,
          ip: a.ip,
          hostServerId: a.hostServerId,
          online: a.online,
        },
        now,
      );
      if (a.osVersion !== undefined) agent.osVersion = a.osVersion;
      if (a.architecture !== undefined) agent.architecture = a.architecture;
      if (a.agentVersion !== undefined) agent.agentVersion = a.agentVersion;
      if (a.backupDatacenter !== undefined) agent.backupDatacenter = a.backupDatacenter;
      if (a.vaultId !== undefined) agent.vaultId = a.vaultId;
      if (a.onlineFrom !== undefined) agent.onlineFrom = a.onlineFrom === null ? NEVER : ms(now, a.onlineFrom);
      if (a.lastActivity !== undefined) agent.lastActivity = ms(now, a.lastActivity);
      agent.isDisabled = a.disabled ?? false;
      agent.isEncrypted = a.encrypted ?? false;
      agent.passphrase = a.passphrase ?? null;
      if (a.useServiceNet !== undefined) agent.useServiceNet = a.useServiceNet;
      if (a.useFailoverUri !== undefined) agent.useFailoverUri = a.useFailoverUri;
      if (a.logLevel !== undefined) agent.logLevel = a.logLevel;
      agent.forcedOffline = a.forcedOffline ?? false;
      agent.deleted = a.deleted ?? false;
    }
    for (const c of t.configurations ?? []) {
      const agent = tenant.agents.get(c.agentId)!;
      const created = at(c.createdAt);
      const config: BackupConfiguration = {
        id: c.id ?? world.newConfigId(),
        tenantId: tenant.id,
        agentId: agent.id,
        scheduleId: c.scheduleId ?? world.newScheduleId(),
        name: c.name,
        isActive: c.active ?? true,
        isDeleted: c.deleted ?? false,
        versionRetention: c.versionRetention ?? 30,
        missedBackupActionId: c.missedBackupActionId ?? 1,
        schedule: { ...DEFAULT_SCHEDULE, ...c.schedule },
        anchor: created,
        nextRun: null,
        lastRunTime: c.lastRunTime === undefined || c.lastRunTime === null ? null : ms(now, c.lastRunTime),
        lastBackupId: c.lastBackupId ?? null,
        notifyRecipients: c.notifyRecipients ?? "",
        notifySuccess: c.notifySuccess ?? false,
        notifyFailure: c.notifyFailure ?? true,
        inclusions: (c.inclusions ?? []).map((i) => ({
          FileId: i.FileId ?? world.newFileId(),
          FilePath: i.FilePath,
          FileItemType: i.FileItemType ?? "Folder",
        })),
        exclusions: (c.exclusions ?? []).map((i) => ({
          FileId: i.FileId ?? world.newFileId(),
          FilePath: i.FilePath,
          FileItemType: i.FileItemType ?? "Folder",
        })),
        prescript: c.prescript ?? "",
        postscript: c.postscript ?? "",
        makeUpPending: c.makeUpPending ?? false,
        failurePercent: c.failurePercent ?? 0,
      };
      world.bumpIds({
        config: config.id,
        schedule: config.scheduleId,
        file: Math.max(0, ...[...config.inclusions, ...config.exclusions].map((i) => i.FileId)),
      });
      putConfig(world, tenant, config);
      if (c.nextRun !== undefined) {
        // As exported: the next run is known, the runs before it are in the backups.
        config.nextRun = c.nextRun === null ? null : ms(now, c.nextRun);
        if (config.nextRun !== null) world.queueRun(config.nextRun, config.id);
      } else {
        events.push({ at: created, order: order++, run: () => world.schedule(config, created) });
      }
    }
    const ids = new Map<number, Backup>();
    backupIds.set(tenant.id, ids);
    for (const [bi, b] of (t.backups ?? []).entries()) {
      const started = ms(now, b.startedAt);
      events.push({
        at: started,
        order: order++,
        run: () => {
          const config = tenant.configs.get(b.configurationId)!;
          const backup = b.timeline ? explicitBackup(world, tenant, config, b, now) : simulatedBackup(world, tenant, config, b, started);
          if (ids.has(backup.id))
            throw new SeedError([{ pointer: `/tenants/${ti}/backups/${bi}/id`, message: `repeats backup id ${backup.id}` }]);
          ids.set(backup.id, backup);
        },
      });
    }
    for (const [ri, r] of (t.restores ?? []).entries()) {
      const created = ms(now, r.createdAt);
      events.push({
        at: created,
        order: order++,
        run: () => {
          const backup = ids.get(r.backupId);
          if (!backup)
            throw new SeedError([
              {
                pointer: `/tenants/${ti}/restores/${ri}/backupId`,
                message: `is not a backup of tenant ${tenant.id} created before the restore`,
              },
            ]);
          addRestore(world, tenant, backup, r, now, created);
        },
      });
    }
  }
  if (seed.nextIds) world.bumpIds(seed.nextIds, true);
  if (seed.random !== undefined) world.rngState = seed.random;
  events.sort((a, b) => a.at - b.at || a.order - b.order);
  for (const event of events) {
    world.catchUp(Math.min(event.at, now));
    event.run();
  }
  world.catchUp(now);
}

function simulatedBackup(world: World, tenant: Tenant, config: BackupConfiguration, b: SeedBackup, started: number): Backup {
  const backup = world.startBackup(tenant, config, started, b.scheduled ?? false);
  if (b.id !== undefined && b.id !== backup.id) world.renumberBackup(tenant, backup, b.id);
  if (b.outcome && b.outcome !== backup.outcome) {
    const last = backup.timeline[backup.timeline.length - 1]!;
    last.state = b.outcome;
    backup.outcome = b.outcome;
    if (b.outcome === "Failed" || b.outcome === "Skipped" || b.outcome === "Missed") {
      backup.filesBackedUp = 0;
      backup.bytesBackedUp = 0;
      backup.errors = [];
    }
  }
  return backup;
}

function explicitBackup(world: World, tenant: Tenant, config: BackupConfiguration, b: SeedBackup, now: number): Backup {
  const agent = tenant.agents.get(b.agentId ?? config.agentId)!;
  const timeline = b.timeline!.map((s) => ({ state: s.state, at: ms(now, s.at) }));
  const backup: Backup = {
    id: b.id ?? world.nextBackupId(),
    tenantId: tenant.id,
    configId: config.id,
    agentId: agent.id,
    configName: b.configName ?? config.name,
    machineName: b.machineName ?? agent.name,
    encrypted: b.encrypted ?? agent.isEncrypted,
    startedAt: ms(now, b.startedAt),
    timeline,
    selection: b.selection ?? { include: config.inclusions.map((i) => i.FilePath), exclude: config.exclusions.map((i) => i.FilePath) },
    filesSearched: b.filesSearched ?? 0,
    bytesSearched: b.bytesSearched ?? 0,
    filesBackedUp: b.filesBackedUp ?? 0,
    bytesBackedUp: b.bytesBackedUp ?? 0,
    errors: (b.errors ?? []).map((f) => ({ path: f.path, size: f.size, changes: f.changes ?? false, locked: f.locked ?? true })),
    outcome: b.outcome ?? timeline[timeline.length - 1]!.state,
  };
  world.bumpIds({ backup: backup.id });
  world.addBackup(tenant, backup);
  return backup;
}

function addRestore(world: World, tenant: Tenant, backup: Backup, r: SeedRestore, now: number, created: number): void {
  const source = tenant.agents.get(r.backupAgentId ?? backup.agentId)!;
  const restore: Restore = {
    id: r.id ?? world.newRestoreId(),
    tenantId: tenant.id,
    backupId: backup.id,
    backupAgentId: source.id,
    destinationAgentId: r.destinationAgentId ?? source.id,
    destinationPath: r.destinationPath ?? (source.windows ? "C:\\Restored" : "/restored"),
    overwrite: r.overwrite ?? false,
    backupDatacenter: r.backupDatacenter ?? source.backupDatacenter,
    createdAt: created,
    timeline: r.timeline ? r.timeline.map((s) => ({ state: s.state, at: ms(now, s.at) })) : [{ state: RESTORE_ID.Creating, at: created }],
    files: (r.files ?? []).map((f) => ({ id: f.id ?? world.newFileId(), path: f.path, filter: f.filter ?? 1, itemType: f.itemType ?? 1 })),
    encryptedPassword: r.encryptedPassword ?? null,
    filesRestored: r.filesRestored ?? 0,
    bytesRestored: r.bytesRestored ?? 0,
    errors: (r.errors ?? []).map((f) => ({ path: f.path, size: f.size, changes: f.changes ?? false, locked: f.locked ?? false })),
  };
  world.bumpIds({ restore: restore.id, file: Math.max(0, ...restore.files.map((f) => f.id)) });
  putRestore(tenant, restore);
  if (!r.timeline && r.startedAt !== undefined) world.startRestore(tenant, restore, ms(now, r.startedAt));
}

/** References that must exist, and rules the schema cannot say; throws a SeedError naming each problem. */
