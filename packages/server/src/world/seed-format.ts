/**
 * Seed files: the `WorldSeed` format of `openapi/admin.yaml` (published as
 * `seed.schema.json`). `loadSeed` builds a world from one (checked against the schema, then
 * for references that must exist, each problem named by its JSON pointer); `exportWorld`
 * writes the current world in the same format, times relative to the current virtual time,
 * so loading the export at that time reproduces every answer.
 */
import { adminDocument } from "@cloud-backup/spec";
import type { ValidateFunction } from "ajv";
import { isKnownTimeZone, type ScheduleInput } from "../schedule/index.js";
import { compileAt, createAjv } from "../validation.js";
import type { SimFile } from "./filetree.js";
import { RESTORE_ID } from "./states.js";
import { NEVER, type Agent, type ConfigItem, type Backup, type BackupConfiguration, type BackupState, type Datacenter, type Restore, type Role, type Tenant, World } from "./world.js";

/** Seconds relative to the clock's start (fractions are milliseconds). */
export type SeedTime = number;

export interface SeedAgent {
  id?: number;
  name: string;
  os?: string;
  osVersion?: string;
  windows?: boolean;
  architecture?: "64-bit" | "32-bit";
  agentVersion?: string;
  datacenter?: Datacenter;
  backupDatacenter?: Datacenter;
  ip?: string;
  hostServerId?: string;
  vaultId?: string;
  online?: boolean;
  onlineFrom?: SeedTime | null;
  lastActivity?: SeedTime;
  disabled?: boolean;
  encrypted?: boolean;
  passphrase?: string | null;
  useServiceNet?: boolean;
  useFailoverUri?: boolean;
  logLevel?: number;
  forcedOffline?: boolean;
  deleted?: boolean;
}

export interface SeedFileItem {
  FileId?: number;
  FilePath: string;
  FileItemType?: ConfigItem["FileItemType"];
}

export interface SeedConfiguration {
  id?: number;
  scheduleId?: number;
  agentId: number;
  name: string;
  schedule: Partial<ScheduleInput> & Pick<ScheduleInput, "Frequency">;
  active?: boolean;
  deleted?: boolean;
  versionRetention?: 0 | 30 | 60;
  missedBackupActionId?: 1 | 2;
  notifyRecipients?: string;
  notifySuccess?: boolean;
  notifyFailure?: boolean;
  inclusions?: SeedFileItem[];
  exclusions?: SeedFileItem[];
  prescript?: string;
  postscript?: string;
  createdAt?: SeedTime;
  nextRun?: SeedTime | null;
  lastRunTime?: SeedTime | null;
  lastBackupId?: number | null;
  makeUpPending?: boolean;
  failurePercent?: number;
}

export interface SeedBackup {
  id?: number;
  configurationId: number;
  startedAt: SeedTime;
  scheduled?: boolean;
  outcome?: BackupState;
  timeline?: Array<{ state: BackupState; at: SeedTime }>;
  agentId?: number;
  configName?: string;
  machineName?: string;
  encrypted?: boolean;
  selection?: { include: string[]; exclude: string[] };
  filesSearched?: number;
  bytesSearched?: number;
  filesBackedUp?: number;
  bytesBackedUp?: number;
  errors?: Array<Partial<SimFile> & Pick<SimFile, "path" | "size">>;
}

export interface SeedRestore {
  id?: number;
  backupId: number;
  backupAgentId?: number;
  destinationAgentId?: number;
  destinationPath?: string;
  overwrite?: boolean;
  backupDatacenter?: Datacenter;
  createdAt: SeedTime;
  startedAt?: SeedTime;
  timeline?: Array<{ state: number; at: SeedTime }>;
  files?: Array<{ id?: number; path: string; filter?: 1 | 2; itemType?: 0 | 1 | 2 }>;
  encryptedPassword?: string | null;
  filesRestored?: number;
  bytesRestored?: number;
  errors?: Array<Partial<SimFile> & Pick<SimFile, "path" | "size">>;
}

export interface SeedTenant {
  id: string;
  tokens?: Array<{ token: string; role?: Role; expiresAt?: SeedTime }>;
  users?: Array<{ username: string; apiKey: string; password: string; role?: Role }>;
  agents?: SeedAgent[];
  configurations?: SeedConfiguration[];
  backups?: SeedBackup[];
  restores?: SeedRestore[];
}

/** A custom world (see `seed.schema.json`): tenants with their tokens, users, agents, configurations, backups and restores. */
export interface WorldSeed {
  $schema?: string;
  version?: 1;
  exportedAt?: string;
  nextIds?: Partial<Record<"agent" | "config" | "schedule" | "backup" | "restore" | "file", number>>;
  random?: number;
  tenants: SeedTenant[];
}

/** A seed that cannot be loaded; `pointer` is the JSON pointer of the first problem, `problems` lists them all. */
export class SeedError extends Error {
  override readonly name = "SeedError";
  constructor(
    readonly problems: Array<{ pointer: string; message: string }>,
  ) {
    super(problems.map((p) => `${p.pointer || "(the seed)"} ${p.message}`).join("; "));
  }
  get pointer(): string {
    return this.problems[0]?.pointer ?? "";
  }
}

let validateSeed: ValidateFunction | undefined;

/** Problems of a seed against the schema, each with its JSON pointer (empty when it is valid). */
export function seedProblems(seed: unknown): Array<{ pointer: string; message: string }> {
  validateSeed ??= compileAt(createAjv(adminDocument), "#/components/schemas/WorldSeed");
  if (validateSeed(seed)) return [];
  const seen = new Set<string>();
  const problems: Array<{ pointer: string; message: string }> = [];
  for (const e of validateSeed.errors ?? []) {
    // oneOf/allOf wrappers repeat what their branches say.
    if (e.keyword === "oneOf" || e.keyword === "allOf" || e.keyword === "if") continue;
    let pointer = e.instancePath;
    let message = e.message ?? "is invalid";
    if (e.keyword === "additionalProperties") {
      pointer = `${pointer}/${String((e.params as { additionalProperty: string }).additionalProperty)}`;
      message = "is not a field of this object";
    } else if (e.keyword === "required") {
      pointer = `${pointer}/${String((e.params as { missingProperty: string }).missingProperty)}`;
      message = "is required";
    } else if (e.keyword === "enum") {
      message = `must be one of ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`;
    }
    const key = `${pointer} ${message}`;
    if (!seen.has(key)) problems.push({ pointer, message });
    seen.add(key);
  }
  return problems;
}

const ms = (base: number, t: SeedTime) => base + Math.round(t * 1000);
const rel = (base: number, t: number) => (t - base) / 1000;

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
      world.tokens.set(token.token, { tenantId: t.id, role: token.role ?? "cloudBackup:admin", ...(token.expiresAt !== undefined ? { expires: ms(now, token.expiresAt) } : {}) });
    }
    for (const u of t.users ?? []) world.users.set(u.username, { username: u.username, apiKey: u.apiKey, password: u.password, tenantId: t.id, role: u.role ?? "cloudBackup:admin" });
    for (const a of t.agents ?? []) {
      const agent = world.addAgent(tenant, { id: a.id, name: a.name, os: a.os, windows: a.windows, datacenter: a.datacenter, ip: a.ip, hostServerId: a.hostServerId, online: a.online }, now);
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
        inclusions: (c.inclusions ?? []).map((i) => ({ FileId: i.FileId ?? world.newFileId(), FilePath: i.FilePath, FileItemType: i.FileItemType ?? "Folder" })),
        exclusions: (c.exclusions ?? []).map((i) => ({ FileId: i.FileId ?? world.newFileId(), FilePath: i.FilePath, FileItemType: i.FileItemType ?? "Folder" })),
        prescript: c.prescript ?? "",
        postscript: c.postscript ?? "",
        makeUpPending: c.makeUpPending ?? false,
        failurePercent: c.failurePercent ?? 0,
      };
      world.bumpIds({ config: config.id, schedule: config.scheduleId, file: Math.max(0, ...[...config.inclusions, ...config.exclusions].map((i) => i.FileId)) });
      tenant.configs.set(config.id, config);
      world.indexConfig(config);
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
          if (ids.has(backup.id)) throw new SeedError([{ pointer: `/tenants/${ti}/backups/${bi}/id`, message: `repeats backup id ${backup.id}` }]);
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
          if (!backup) throw new SeedError([{ pointer: `/tenants/${ti}/restores/${ri}/backupId`, message: `is not a backup of tenant ${tenant.id} created before the restore` }]);
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
  tenant.restores.set(restore.id, restore);
  if (!r.timeline && r.startedAt !== undefined) world.startRestore(tenant, restore, ms(now, r.startedAt));
}

/** References that must exist, and rules the schema cannot say; throws a SeedError naming each problem. */
function checkReferences(seed: WorldSeed): void {
  const problems: Array<{ pointer: string; message: string }> = [];
  const tenants = new Set<string>();
  const agentIds = new Set<number>();
  const tokens = new Set<string>();
  const users = new Set<string>();
  for (const [ti, t] of seed.tenants.entries()) {
    const p = `/tenants/${ti}`;
    if (tenants.has(t.id)) problems.push({ pointer: `${p}/id`, message: `repeats tenant ${t.id}` });
    tenants.add(t.id);
    for (const [i, token] of (t.tokens ?? []).entries()) {
      if (tokens.has(token.token)) problems.push({ pointer: `${p}/tokens/${i}/token`, message: "repeats a token of the seed" });
      tokens.add(token.token);
    }
    for (const [i, u] of (t.users ?? []).entries()) {
      if (users.has(u.username)) problems.push({ pointer: `${p}/users/${i}/username`, message: "repeats a user name of the seed" });
      users.add(u.username);
    }
    const agents = new Map<number, SeedAgent>();
    for (const [i, a] of (t.agents ?? []).entries()) {
      if (a.id !== undefined) {
        if (agentIds.has(a.id)) problems.push({ pointer: `${p}/agents/${i}/id`, message: `repeats agent id ${a.id}` });
        agentIds.add(a.id);
        agents.set(a.id, a);
      }
      if (a.encrypted && !a.passphrase) problems.push({ pointer: `${p}/agents/${i}/passphrase`, message: "is required when encrypted is true" });
    }
    const configs = new Set<number>();
    for (const [i, c] of (t.configurations ?? []).entries()) {
      if (!agents.has(c.agentId)) problems.push({ pointer: `${p}/configurations/${i}/agentId`, message: `is not the id of an agent of tenant ${t.id} (give agents an id to refer to them)` });
      const zone = c.schedule.TimeZoneId;
      if (zone !== undefined && !isKnownTimeZone(zone)) problems.push({ pointer: `${p}/configurations/${i}/schedule/TimeZoneId`, message: 'is not a known Windows time-zone name (for example "Eastern Standard Time")' });
      if (c.id !== undefined) {
        if (configs.has(c.id)) problems.push({ pointer: `${p}/configurations/${i}/id`, message: `repeats configuration id ${c.id}` });
        configs.add(c.id);
      }
    }
    for (const [i, b] of (t.backups ?? []).entries()) {
      if (!configs.has(b.configurationId)) problems.push({ pointer: `${p}/backups/${i}/configurationId`, message: `is not the id of a configuration of tenant ${t.id}` });
      if (b.agentId !== undefined && !agents.has(b.agentId)) problems.push({ pointer: `${p}/backups/${i}/agentId`, message: `is not the id of an agent of tenant ${t.id}` });
    }
    for (const [i, r] of (t.restores ?? []).entries()) {
      for (const field of ["destinationAgentId", "backupAgentId"] as const) {
        const id = r[field];
        if (id !== undefined && !agents.has(id)) problems.push({ pointer: `${p}/restores/${i}/${field}`, message: `is not the id of an agent of tenant ${t.id}` });
      }
      if (r.startedAt !== undefined && r.startedAt < r.createdAt) problems.push({ pointer: `${p}/restores/${i}/startedAt`, message: "is before createdAt" });
    }
  }
  if (problems.length) throw new SeedError(problems);
}

/** The current world as a seed, times relative to `now` (the virtual time of the export). */
export function exportWorld(world: World, now: number): WorldSeed {
  world.catchUp(now);
  const t = (v: number) => rel(now, v);
  const tokensOf = new Map<string, NonNullable<SeedTenant["tokens"]>>();
  for (const [token, info] of world.tokens) {
    const list = tokensOf.get(info.tenantId) ?? [];
    list.push({ token, role: info.role, ...(info.expires !== undefined ? { expiresAt: t(info.expires) } : {}) });
    tokensOf.set(info.tenantId, list);
  }
  const usersOf = new Map<string, NonNullable<SeedTenant["users"]>>();
  for (const u of world.users.values()) {
    const list = usersOf.get(u.tenantId) ?? [];
    list.push({ username: u.username, apiKey: u.apiKey, password: u.password, role: u.role });
    usersOf.set(u.tenantId, list);
  }
  const file = (f: SimFile) => ({ path: f.path, size: f.size, changes: f.changes, locked: f.locked });
  const snapshot = world.toJSON();
  return {
    version: 1,
    exportedAt: new Date(now).toISOString(),
    nextIds: { ...snapshot.nextId },
    random: snapshot.rngState,
    tenants: snapshot.tenants.map((tenant) => ({
      id: tenant.id,
      tokens: tokensOf.get(tenant.id) ?? [],
      users: usersOf.get(tenant.id) ?? [],
      agents: tenant.agents.map((a: Omit<Agent, "tree" | "keys">) => ({
        id: a.id,
        name: a.name,
        os: a.os,
        osVersion: a.osVersion,
        windows: a.windows,
        architecture: a.architecture,
        agentVersion: a.agentVersion,
        datacenter: a.datacenter,
        backupDatacenter: a.backupDatacenter,
        ip: a.ip,
        hostServerId: a.hostServerId,
        vaultId: a.vaultId,
        onlineFrom: a.onlineFrom >= NEVER ? null : t(a.onlineFrom),
        lastActivity: t(a.lastActivity),
        disabled: a.isDisabled,
        encrypted: a.isEncrypted,
        passphrase: a.passphrase,
        useServiceNet: a.useServiceNet,
        useFailoverUri: a.useFailoverUri,
        logLevel: a.logLevel,
        forcedOffline: a.forcedOffline,
        deleted: a.deleted,
      })),
      configurations: tenant.configs.map((c) => ({
        id: c.id,
        scheduleId: c.scheduleId,
        agentId: c.agentId,
        name: c.name,
        schedule: { ...c.schedule },
        active: c.isActive,
        deleted: c.isDeleted,
        versionRetention: c.versionRetention,
        missedBackupActionId: c.missedBackupActionId,
        notifyRecipients: c.notifyRecipients,
        notifySuccess: c.notifySuccess,
        notifyFailure: c.notifyFailure,
        inclusions: c.inclusions.map((i) => ({ ...i })),
        exclusions: c.exclusions.map((i) => ({ ...i })),
        prescript: c.prescript,
        postscript: c.postscript,
        createdAt: t(c.anchor),
        nextRun: c.nextRun === null ? null : t(c.nextRun),
        lastRunTime: c.lastRunTime === null ? null : t(c.lastRunTime),
        lastBackupId: c.lastBackupId,
        makeUpPending: c.makeUpPending,
        failurePercent: c.failurePercent,
      })),
      backups: tenant.backups.map((b) => ({
        id: b.id,
        configurationId: b.configId,
        startedAt: t(b.startedAt),
        outcome: b.outcome,
        timeline: b.timeline.map((s) => ({ state: s.state, at: t(s.at) })),
        agentId: b.agentId,
        configName: b.configName,
        machineName: b.machineName,
        encrypted: b.encrypted,
        selection: { include: [...b.selection.include], exclude: [...b.selection.exclude] },
        filesSearched: b.filesSearched,
        bytesSearched: b.bytesSearched,
        filesBackedUp: b.filesBackedUp,
        bytesBackedUp: b.bytesBackedUp,
        errors: b.errors.map(file),
      })),
      restores: tenant.restores.map((r) => ({
        id: r.id,
        backupId: r.backupId,
        backupAgentId: r.backupAgentId,
        destinationAgentId: r.destinationAgentId,
        destinationPath: r.destinationPath,
        overwrite: r.overwrite,
        backupDatacenter: r.backupDatacenter,
        createdAt: t(r.createdAt),
        timeline: r.timeline.map((s) => ({ state: s.state, at: t(s.at) })),
        files: r.files.map((f) => ({ id: f.id, path: f.path, filter: f.filter, itemType: f.itemType })),
        encryptedPassword: r.encryptedPassword,
        filesRestored: r.filesRestored,
        bytesRestored: r.bytesRestored,
        errors: r.errors.map(file),
      })),
    })),
  };
}
