import type { components } from "@cloud-backup/spec";
import { MAX_BACKUPS_PER_TENANT } from "../limits.js";
import type { AgentKeyPair } from "@cloud-backup/spec/crypto";
import { nextRunAfter, utcEcho, type ScheduleInput } from "../schedule/index.js";
import { buildFileTree, type FileTree, isUnder, selectFiles, type Selection, type SimFile } from "./filetree.js";
import agentKeys from "./agent-keys.json" with { type: "json" };
import { BACKUP_LIFECYCLE, RESTORE_ID, RESTORE_LIFECYCLE } from "./states.js";

type S = components["schemas"];
export type BackupState = S["BackupState"];
export type Datacenter = S["Datacenter"];

/** A time that never comes (JSON-safe, unlike Infinity). */
export const NEVER = Number.MAX_SAFE_INTEGER;

/** Seconds an agent takes to come online after a wake-up (the service says 10 to 20). */
export const WAKE_DELAY_MS = 15_000;
/** An agent with nothing to do goes idle (Offline) this long after its last activity. */
export const IDLE_AFTER_MS = 30 * 60_000;
const UPLOAD_BYTES_PER_SECOND = 20 * 1024 * 1024;
const SCAN_FILES_PER_SECOND = 2_000;

export interface Agent {
  id: number;
  tenantId: string;
  name: string;
  os: string;
  osVersion: string;
  windows: boolean;
  architecture: "64-bit" | "32-bit";
  agentVersion: string;
  datacenter: Datacenter;
  backupDatacenter: Datacenter;
  ip: string;
  hostServerId: string;
  vaultId: string;
  keys: AgentKeyPair;
  isDisabled: boolean;
  isEncrypted: boolean;
  /** The agent's own copy of the passphrase (the simulated agent holds the private key). */
  passphrase: string | null;
  useServiceNet: boolean;
  useFailoverUri: boolean;
  logLevel: number;
  tree: FileTree;
  /** The agent answers as Online from this time ... */
  onlineFrom: number;
  /** ... until this time, unless a job keeps it busy. */
  lastActivity: number;
  /** A fault scenario forces it offline. */
  forcedOffline: boolean;
  deleted: boolean;
}

export interface ConfigItem {
  FileId: number;
  FilePath: string;
  FileItemType: S["FileItemType"];
}

export interface BackupConfiguration {
  id: number;
  tenantId: string;
  agentId: number;
  scheduleId: number;
  name: string;
  isActive: boolean;
  isDeleted: boolean;
  versionRetention: S["VersionRetention"];
  missedBackupActionId: S["MissedBackupActionId"];
  schedule: ScheduleInput;
  /** Anchor of hourly schedules: when the schedule was last set. */
  anchor: number;
  nextRun: number | null;
  lastRunTime: number | null;
  lastBackupId: number | null;
  notifyRecipients: string;
  notifySuccess: boolean;
  notifyFailure: boolean;
  inclusions: ConfigItem[];
  exclusions: ConfigItem[];
  prescript: string;
  postscript: string;
  /** A missed run waits to be made up when the agent can run again (MissedBackupActionId 1). */
  makeUpPending: boolean;
  /** Percentage of runs that fail (a fault scenario). */
  failurePercent: number;
}

interface Step<T> {
  state: T;
  at: number;
}

export interface Backup {
  id: number;
  tenantId: string;
  configId: number;
  agentId: number;
  configName: string;
  machineName: string;
  encrypted: boolean;
  startedAt: number;
  timeline: Step<BackupState>[];
  selection: Selection;
  filesSearched: number;
  bytesSearched: number;
  filesBackedUp: number;
  bytesBackedUp: number;
  errors: SimFile[];
  /** Terminal state the run ends in unless stopped. */
  outcome: BackupState;
}

export interface RestoreFileEntry {
  id: number;
  path: string;
  filter: 1 | 2;
  itemType: 0 | 1 | 2;
}

export interface Restore {
  id: number;
  tenantId: string;
  backupId: number;
  backupAgentId: number;
  destinationAgentId: number;
  destinationPath: string;
  overwrite: boolean;
  backupDatacenter: Datacenter;
  createdAt: number;
  timeline: Step<number>[];
  files: RestoreFileEntry[];
  encryptedPassword: string | null;
  filesRestored: number;
  bytesRestored: number;
  errors: SimFile[];
}

export interface Tenant {
  id: string;
  agents: Map<number, Agent>;
  configs: Map<number, BackupConfiguration>;
  backups: Map<number, Backup>;
  restores: Map<number, Restore>;
  hostIndex: Map<string, number>;
  /** Backups of each configuration, oldest first. */
  byConfig: Map<number, Backup[]>;
  /** Configuration ids by agent and name (entries are checked on use, so stale ones are harmless). */
  byName: Map<string, number>;
  /** The world's revision at this tenant's last change. */
  changedAt: number;
}

export type Role = "cloudBackup:admin" | "cloudBackup:creator" | "cloudBackup:observer";

export interface TokenInfo {
  tenantId: string;
  role: Role;
  /** Virtual time after which the token is refused; undefined never expires. */
  expires?: number;
}

export interface IdentityUser {
  username: string;
  apiKey: string;
  password: string;
  tenantId: string;
  role: Role;
}

export interface IdCounters {
  agent: number;
  config: number;
  schedule: number;
  backup: number;
  restore: number;
  file: number;
}

export interface WorldSnapshot {
  version: 1;
  nextId: IdCounters;
  rngState: number;
  tokens: Array<[string, TokenInfo]>;
  users: IdentityUser[];
  tenants: Array<{
    id: string;
    agents: Array<Omit<Agent, "tree" | "keys">>;
    configs: BackupConfiguration[];
    backups: Backup[];
    restores: Restore[];
  }>;
}

export interface AgentSpec {
  id?: number;
  name: string;
  os?: string;
  windows?: boolean;
  datacenter?: Datacenter;
  ip?: string;
  hostServerId?: string;
  online?: boolean;
}

const TERMINAL_BACKUP = new Set<BackupState>(BACKUP_LIFECYCLE.terminal);
/** Terminal restore states by `RestoreStateId`, from the description's restore lifecycle. */
export const TERMINAL_RESTORE = new Set(RESTORE_LIFECYCLE.terminal.map((name) => RESTORE_ID[name]));

function stateAt<T>(timeline: Step<T>[], now: number): Step<T> {
  let current = timeline[0]!;
  for (const step of timeline) {
    if (step.at <= now) current = step;
    else break;
  }
  return current;
}

/** Orders due entries by time, then by configuration id, so ties pop in the same order every time. */
const before = (a: [number, number], b: [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]);

/** A min-heap of (time, config id) for due scheduled runs. Stale entries are skipped on pop. */
class DueQueue {
  private heap: Array<[number, number]> = [];
  push(at: number, id: number) {
    const h = this.heap;
    h.push([at, id]);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (before(h[p]!, h[i]!)) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }
  peek(): [number, number] | undefined {
    return this.heap[0];
  }
  pop(): [number, number] | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!)) m = l;
        if (r < h.length && before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
  clear() {
    this.heap = [];
  }
}

/**
 * The simulated Cloud Backup service: tenants, agents, configurations, backups, restores
 * and activity. Every state is derived from the virtual time passed in (`now`), so nothing
 * runs on timers; `catchUp(now)` materialises the scheduled runs that fell due.
 */
export class World {
  readonly tenants = new Map<string, Tenant>();
  /** X-Auth-Token values and what they grant. */
  readonly tokens = new Map<string, TokenInfo>();
  /** Identity users (username to credentials). */
  readonly users = new Map<string, IdentityUser>();
  /** Global id counters, shared by all tenants, as the real service's ids are. */
  private nextId: IdCounters = { agent: 300_000, config: 180_000, schedule: 175_000, backup: 400_000, restore: 20_000, file: 700_000 };
  private readonly due = new DueQueue();
  /**
   * Bumped by every change to the world (writes, runs that start on schedule, resets), so an
   * answer computed at (revision, now) can be reused for the same (revision, now).
   */
  revision = 0;
  /** The revision at the last change that may touch every tenant (a reset, a control API call). */
  private epoch = 0;

  /** Records a change: of one tenant when its id is given, else of the whole world. */
  changed(tenantId?: string): void {
    this.revision++;
    const tenant = tenantId === undefined ? undefined : this.tenants.get(tenantId);
    if (tenant) tenant.changedAt = this.revision;
    else this.epoch = this.revision;
  }

  /**
   * The revision a tenant's answers depend on: its own last change or the last change of the
   * whole world, whichever is later. A write to one tenant leaves the others' answers valid.
   */
  revisionOf(tenantId: string): number {
    const tenant = this.tenants.get(tenantId);
    return tenant && tenant.changedAt > this.epoch ? tenant.changedAt : this.epoch;
  }

  /**
   * While an answer is computed (`readAt`), the earliest virtual time after it at which
   * something the answer read would read differently: a backup or restore step, an agent
   * going online or idle, a version expiring, a running duration ticking, an hour changing a
   * schedule's echo. Reads call `until` for each such time they depend on.
   */
  private horizon = NEVER;
  private horizonFrom = 0;

  /** Notes that what was just read at the tracked time changes at `at`. */
  until(at: number): void {
    if (at > this.horizonFrom && at < this.horizon) this.horizon = at;
  }

  /**
   * Runs a read at `now` and says until when its result holds while nothing is written:
   * the first time a value it read changes, or the world's next due scheduled run, whichever
   * comes first. Reads are synchronous, so no other read can interleave.
   */
  readAt<T>(now: number, read: () => T): { value: T; until: number } {
    this.horizon = NEVER;
    this.horizonFrom = now;
    try {
      const value = read();
      const due = this.due.peek()?.[0] ?? NEVER;
      return { value, until: Math.min(this.horizon, due > now ? due : now + 1) };
    } finally {
      this.horizon = NEVER;
      this.horizonFrom = 0;
    }
  }

  /** The time of the next scheduled run the world will catch up (NEVER when none is queued). */
  nextDue(): number {
    return this.due.peek()?.[0] ?? NEVER;
  }

  /** The step of a timeline at `now`, noting when the next one begins. */
  private stepAt<T>(timeline: Step<T>[], now: number): Step<T> {
    let current = timeline[0]!;
    for (const step of timeline) {
      if (step.at <= now) current = step;
      else {
        this.until(step.at);
        break;
      }
    }
    return current;
  }

  /** State of the world's seeded random source (mulberry32), so a replay makes the same draws. */
  rngState = 0x5eed;

  /** A number in [0, 1) from the world's seeded random source. */
  rand(): number {
    let t = (this.rngState = (this.rngState + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A version-4 UUID from the world's seeded random source. */
  uuid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.rand() * 16).toString(16));
    hex[12] = "4";
    hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
    const s = hex.join("");
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }

  /** The key pair of an agent: one of the shipped pairs, chosen by id (generating 2048-bit keys is slow). */
  static keysFor(agentId: number): AgentKeyPair {
    const keys = agentKeys.keys as AgentKeyPair[];
    return keys[agentId % keys.length]!;
  }

  // ---------------------------------------------------------------- tenants and agents

  createTenant(id: string): Tenant {
    const tenant: Tenant = { id, agents: new Map(), configs: new Map(), backups: new Map(), restores: new Map(), hostIndex: new Map(), byConfig: new Map(), byName: new Map(), changedAt: 0 };
    this.tenants.set(id, tenant);
    return tenant;
  }

  addAgent(tenant: Tenant, spec: AgentSpec, now: number): Agent {
    const id = spec.id ?? this.nextId.agent++;
    if (spec.id && spec.id >= this.nextId.agent) this.nextId.agent = spec.id + 1;
    const windows = spec.windows ?? /windows/i.test(spec.os ?? "");
    const os = spec.os ?? (windows ? "Windows Server 2019" : "Ubuntu");
    const datacenter = spec.datacenter ?? "DFW";
    const agent: Agent = {
      id,
      tenantId: tenant.id,
      name: spec.name,
      os,
      osVersion: windows ? "" : "22.04",
      windows,
      architecture: "64-bit",
      agentVersion: "1.36.008520",
      datacenter,
      backupDatacenter: datacenter,
      ip: spec.ip ?? `10.${(id >> 16) & 255}.${(id >> 8) & 255}.${id & 255}`,
      hostServerId: spec.hostServerId ?? this.uuid(),
      vaultId: this.uuid(),
      keys: World.keysFor(id),
      isDisabled: false,
      isEncrypted: false,
      passphrase: null,
      useServiceNet: true,
      useFailoverUri: false,
      logLevel: 4,
      tree: buildFileTree(id, windows),
      onlineFrom: spec.online === false ? NEVER : now,
      lastActivity: spec.online === false ? now - IDLE_AFTER_MS - 1 : now,
      forcedOffline: false,
      deleted: false,
    };
    tenant.agents.set(id, agent);
    tenant.hostIndex.set(agent.hostServerId.toLowerCase(), id);
    return agent;
  }

  /** Whether the agent answers as Online at `now`. */
  isOnline(agent: Agent, now: number): boolean {
    if (agent.forcedOffline || agent.deleted) return false;
    if (now < agent.onlineFrom) {
      if (agent.onlineFrom !== NEVER) this.until(agent.onlineFrom);
      return false;
    }
    // Starting a job moves lastActivity to the job's end, so a busy agent stays online.
    const online = now <= agent.lastActivity + IDLE_AFTER_MS;
    if (online) this.until(agent.lastActivity + IDLE_AFTER_MS + 1);
    return online;
  }

  /** Wakes every agent of the tenant: they come Online after the wake-up delay. */
  wake(tenant: Tenant, now: number): void {
    for (const agent of tenant.agents.values()) {
      if (this.isOnline(agent, now)) {
        agent.lastActivity = now;
        continue;
      }
      agent.onlineFrom = now + WAKE_DELAY_MS;
      agent.lastActivity = now + WAKE_DELAY_MS;
    }
  }

  touch(agent: Agent, at: number): void {
    if (at > agent.lastActivity) agent.lastActivity = at;
  }

  agentStatus(agent: Agent, now: number): S["AgentStatus"] {
    return this.isOnline(agent, now) ? "Online" : "Offline";
  }

  /** Ids of the configurations whose backups belong to an agent (live or deleted). */
  private agentConfigIds(tenant: Tenant, agent: Agent): number[] {
    const ids: number[] = [];
    for (const id of tenant.byConfig.keys()) if (tenant.configs.get(id)?.agentId === agent.id) ids.push(id);
    return ids;
  }

  lastSuccessfulBackup(tenant: Tenant, agent: Agent, now: number): number | null {
    let best: number | null = null;
    for (const id of this.agentConfigIds(tenant, agent)) {
      for (const { backup } of this.versions(tenant, id, now)) {
        const at = backup.timeline[backup.timeline.length - 1]!.at;
        if (backup.agentId === agent.id && (best === null || at > best)) best = at;
      }
    }
    return best;
  }

  vaultBytes(tenant: Tenant, agent: Agent, now: number): number {
    let bytes = 0;
    for (const id of this.agentConfigIds(tenant, agent)) {
      for (const { backup, expiresAt } of this.versions(tenant, id, now)) {
        if (backup.agentId === agent.id && expiresAt === null) bytes += backup.bytesBackedUp;
      }
    }
    return bytes;
  }

  // ---------------------------------------------------------------- configurations

  newConfigId(): number {
    return this.nextId.config++;
  }
  newScheduleId(): number {
    return this.nextId.schedule++;
  }
  newFileId(): number {
    return this.nextId.file++;
  }

  /** Recomputes the next run of a configuration and queues it. */
  schedule(config: BackupConfiguration, now: number): void {
    const agent = this.tenants.get(config.tenantId)?.agents.get(config.agentId);
    if (!config.isActive || config.isDeleted || !agent || agent.deleted) {
      config.nextRun = null;
      return;
    }
    config.nextRun = nextRunAfter(config.schedule, now, config.anchor);
    if (config.nextRun !== null) this.due.push(config.nextRun, config.id);
  }

  /**
   * The schedule as the service echoes it (in UTC). It only changes when the next run
   * moves, so it is computed once per next-run time (once per hour for inactive ones).
   */
  echo(config: BackupConfiguration, now: number): ReturnType<typeof utcEcho> {
    const key = config.nextRun !== null && config.nextRun > now ? config.nextRun : -Math.floor(now / 3_600_000);
    // Only daily and weekly echoes depend on the time; one kept per hour changes on the hour.
    if (key < 0 && (config.schedule.Frequency === "Daily" || config.schedule.Frequency === "Weekly")) this.until((Math.floor(now / 3_600_000) + 1) * 3_600_000);
    const cached = this.echoes.get(config);
    if (cached && cached.key === key && cached.schedule === config.schedule) return cached.value;
    const value = utcEcho(config.schedule, now);
    this.echoes.set(config, { key, schedule: config.schedule, value });
    return value;
  }

  private readonly echoes = new WeakMap<BackupConfiguration, { key: number; schedule: ScheduleInput; value: ReturnType<typeof utcEcho> }>();

  // ---------------------------------------------------------------- backups

  isBackupRunning(tenant: Tenant, configId: number, now: number): boolean {
    const list = tenant.byConfig.get(configId) ?? [];
    // Runs of one configuration never overlap, so only the newest can still be running.
    for (let i = list.length - 1; i >= 0 && i >= list.length - 2; i--) {
      const b = list[i]!;
      if (tenant.backups.has(b.id) && !TERMINAL_BACKUP.has(stateAt(b.timeline, now).state)) return true;
    }
    return false;
  }

  backupState(backup: Backup, now: number): Step<BackupState> {
    return this.stepAt(backup.timeline, now);
  }

  isTerminalBackup(state: BackupState): boolean {
    return TERMINAL_BACKUP.has(state);
  }

  /** Starts a run of a configuration at `at` (manual, scheduled or made up). */
  startBackup(tenant: Tenant, config: BackupConfiguration, at: number, scheduled: boolean): Backup {
    const agent = tenant.agents.get(config.agentId)!;
    const selection = this.selectionOf(config);
    const files = selectFiles(agent.tree, selection);
    const previous = (tenant.byConfig.get(config.id) ?? []).some(
      (b) => tenant.backups.has(b.id) && (b.outcome === "Completed" || b.outcome === "CompletedWithErrors") && b.timeline[b.timeline.length - 1]!.at <= at,
    );
    const readable = files.filter((f) => !f.locked);
    const uploaded = previous ? readable.filter((f) => f.changes) : readable;
    const bytesSearched = files.reduce((sum, f) => sum + f.size, 0);
    const bytesBackedUp = uploaded.reduce((sum, f) => sum + f.size, 0);
    const slow = agent.isEncrypted ? 1.5 : 1;
    const scanMs = Math.ceil((files.length / SCAN_FILES_PER_SECOND) * 1000) + 3_000;
    const uploadMs = Math.ceil((bytesBackedUp / UPLOAD_BYTES_PER_SECOND) * 1000 * slow) + 5_000;
    const fails = config.failurePercent > 0 && this.rand() * 100 < config.failurePercent;
    const errors = files.filter((f) => f.locked);
    const outcome: BackupState = fails ? "Failed" : errors.length ? "CompletedWithErrors" : "Completed";
    const first: BackupState = scheduled ? "StartScheduled" : "StartRequested";
    const t0 = at;
    const timeline: Step<BackupState>[] = [
      { state: first, at: t0 },
      { state: "Queued", at: t0 + 2_000 },
      { state: "Preparing", at: t0 + 4_000 },
      { state: "InProgress", at: t0 + 4_000 + scanMs },
      { state: outcome, at: t0 + 4_000 + scanMs + (fails ? Math.ceil(uploadMs / 2) : uploadMs) },
    ];
    const backup: Backup = {
      id: this.nextId.backup++,
      tenantId: tenant.id,
      configId: config.id,
      agentId: agent.id,
      configName: config.name,
      machineName: agent.name,
      encrypted: agent.isEncrypted,
      startedAt: t0,
      timeline,
      selection,
      filesSearched: files.length,
      bytesSearched,
      filesBackedUp: fails ? 0 : uploaded.length,
      bytesBackedUp: fails ? 0 : bytesBackedUp,
      errors: fails ? [] : errors,
      outcome,
    };
    this.addBackup(tenant, backup);
    config.lastRunTime = t0;
    config.lastBackupId = backup.id;
    this.touch(agent, timeline[timeline.length - 1]!.at);
    return backup;
  }

  /** The configuration's file selection, shared by all its backups while it is unchanged. */
  private selectionOf(config: BackupConfiguration): Selection {
    const cached = this.selections.get(config.inclusions);
    if (cached && cached.exclusions === config.exclusions) return cached.selection;
    const selection: Selection = { include: config.inclusions.map((i) => i.FilePath), exclude: config.exclusions.map((i) => i.FilePath) };
    this.selections.set(config.inclusions, { exclusions: config.exclusions, selection });
    return selection;
  }

  private readonly selections = new WeakMap<ConfigItem[], { exclusions: ConfigItem[]; selection: Selection }>();

  /** Records a run that could not happen (Skipped or Missed) at `at`. */
  private recordUnrun(tenant: Tenant, config: BackupConfiguration, at: number, state: "Skipped" | "Missed"): void {
    const agent = tenant.agents.get(config.agentId)!;
    const backup: Backup = {
      id: this.nextId.backup++,
      tenantId: tenant.id,
      configId: config.id,
      agentId: agent.id,
      configName: config.name,
      machineName: agent.name,
      encrypted: agent.isEncrypted,
      startedAt: at,
      timeline: [{ state, at }],
      selection: { include: [], exclude: [] },
      filesSearched: 0,
      bytesSearched: 0,
      filesBackedUp: 0,
      bytesBackedUp: 0,
      errors: [],
      outcome: state,
    };
    this.addBackup(tenant, backup);
  }

  /** Asks a running backup to stop: StopRequested now, Stopped shortly after. */
  stopBackup(backup: Backup, now: number): void {
    const kept = backup.timeline.filter((s) => s.at <= now);
    kept.push({ state: "StopRequested", at: now }, { state: "Stopped", at: now + 3_000 });
    backup.timeline = kept;
    backup.outcome = "Stopped";
    const ratio = 0.5;
    backup.filesBackedUp = Math.floor(backup.filesBackedUp * ratio);
    backup.bytesBackedUp = Math.floor(backup.bytesBackedUp * ratio);
  }

  addBackup(tenant: Tenant, backup: Backup): void {
    this.changed(tenant.id);
    tenant.backups.set(backup.id, backup);
    let list = tenant.byConfig.get(backup.configId);
    if (!list) tenant.byConfig.set(backup.configId, (list = []));
    list.push(backup);
    if (tenant.backups.size > MAX_BACKUPS_PER_TENANT) this.forgetOldest(tenant, backup.startedAt);
  }

  /**
   * Keeps the history of an account within MAX_BACKUPS_PER_TENANT (ERRATA E-35): forgets the
   * oldest backup that had finished by `at`, is not its configuration's last run and that no
   * restore uses.
   */
  private forgetOldest(tenant: Tenant, at: number): void {
    const used = new Set<number>();
    for (const restore of tenant.restores.values()) used.add(restore.backupId);
    for (const old of tenant.backups.values()) {
      if (used.has(old.id) || old.timeline[old.timeline.length - 1]!.at > at) continue;
      if (this.findConfig(old.configId)?.lastBackupId === old.id) continue;
      tenant.backups.delete(old.id);
      const list = tenant.byConfig.get(old.configId);
      const index = list ? list.indexOf(old) : -1;
      if (index >= 0) list!.splice(index, 1);
      return;
    }
  }

  /**
   * The completed backups (versions) of a configuration at `now`, newest first, each with the
   * time it expired or null while it is kept. A version older than the configuration's
   * `VersionRetention` expires once a newer one exists; the newest is always kept.
   */
  versions(tenant: Tenant, configId: number, now: number): Array<{ backup: Backup; expiresAt: number | null }> {
    const done: Backup[] = [];
    for (const b of tenant.byConfig.get(configId) ?? []) {
      if (!tenant.backups.has(b.id) || b.configId !== configId) continue;
      const state = stateAt(b.timeline, now).state;
      if (state === "Completed" || state === "CompletedWithErrors") done.push(b);
      else {
        // Only the last step can make it a version.
        const last = b.timeline[b.timeline.length - 1]!;
        if (last.at > now && (last.state === "Completed" || last.state === "CompletedWithErrors")) this.until(last.at);
      }
    }
    done.sort((a, b) => b.startedAt - a.startedAt || b.id - a.id);
    const retention = tenant.configs.get(configId)?.versionRetention ?? 0;
    const end = (b: Backup) => b.timeline[b.timeline.length - 1]!.at;
    return done.map((backup, i) => {
      if (i === 0 || retention === 0) return { backup, expiresAt: null };
      const at = Math.max(end(backup) + retention * 86_400_000, end(done[i - 1]!));
      if (at > now) this.until(at);
      return { backup, expiresAt: at <= now ? at : null };
    });
  }

  /** When a completed backup expired, or null while it is kept. */
  expiryTime(tenant: Tenant, backup: Backup, now: number): number | null {
    return this.versions(tenant, backup.configId, now).find((v) => v.backup === backup)?.expiresAt ?? null;
  }

  isExpired(tenant: Tenant, backup: Backup, now: number): boolean {
    return this.expiryTime(tenant, backup, now) !== null;
  }

  /** Completed (or completed with errors) backups of a configuration that have not expired, newest first. */
  restorableBackups(tenant: Tenant, config: BackupConfiguration, now: number): Backup[] {
    return this.versions(tenant, config.id, now)
      .filter((v) => v.expiresAt === null)
      .map((v) => v.backup);
  }

  // ---------------------------------------------------------------- schedule catch-up

  /** Runs every scheduled backup that fell due at or before `now`, in time order. */
  catchUp(now: number): void {
    for (;;) {
      const top = this.due.peek();
      if (!top || top[0] > now) return;
      this.due.pop();
      const [at, configId] = top;
      const config = this.findConfig(configId);
      if (!config || config.nextRun !== at) continue; // stale entry
      const tenant = this.tenants.get(config.tenantId)!;
      const agent = tenant.agents.get(config.agentId);
      if (!agent || agent.deleted) continue;
      if (agent.isDisabled || agent.forcedOffline) {
        this.recordUnrun(tenant, config, at, "Missed");
        if (config.missedBackupActionId === 1) config.makeUpPending = true;
      } else if (this.isBackupRunning(tenant, config.id, at)) {
        this.recordUnrun(tenant, config, at, "Skipped");
      } else {
        this.startBackup(tenant, config, at, true);
      }
      config.nextRun = nextRunAfter(config.schedule, at, config.anchor);
      if (config.nextRun !== null) this.due.push(config.nextRun, config.id);
    }
  }

  /** Runs missed backups that wait for their agent (MissedBackupActionId 1). */
  makeUp(tenant: Tenant, agent: Agent, now: number): void {
    for (const config of tenant.configs.values()) {
      if (config.agentId !== agent.id || !config.makeUpPending || config.isDeleted || !config.isActive) continue;
      config.makeUpPending = false;
      if (!this.isBackupRunning(tenant, config.id, now)) this.startBackup(tenant, config, now, true);
    }
  }

  private configIndex = new Map<number, string>();

  /** Indexes a configuration by id and by (agent, name); call again after changing either. */
  indexConfig(config: BackupConfiguration): void {
    this.configIndex.set(config.id, config.tenantId);
    this.tenants.get(config.tenantId)?.byName.set(`${config.agentId}\u0000${config.name}`, config.id);
  }

  /** The live (not deleted) configuration of an agent with this name, if any. */
  configByName(tenant: Tenant, agentId: number, name: string): BackupConfiguration | undefined {
    const id = tenant.byName.get(`${agentId}\u0000${name}`);
    const config = id === undefined ? undefined : tenant.configs.get(id);
    return config && !config.isDeleted && config.agentId === agentId && config.name === name ? config : undefined;
  }

  findConfig(id: number): BackupConfiguration | undefined {
    const tenantId = this.configIndex.get(id);
    return tenantId === undefined ? undefined : this.tenants.get(tenantId)?.configs.get(id);
  }

  // ---------------------------------------------------------------- restores

  newRestoreId(): number {
    return this.nextId.restore++;
  }

  restoreState(restore: Restore, now: number): Step<number> {
    return this.stepAt(restore.timeline, now);
  }

  /** The files a restore brings back: the backup's files, narrowed by the restore's own rules. */
  restoreFiles(tenant: Tenant, restore: Restore): SimFile[] {
    const backup = tenant.backups.get(restore.backupId);
    const agent = tenant.agents.get(restore.backupAgentId);
    if (!backup || !agent) return [];
    const files = selectFiles(agent.tree, backup.selection).filter((f) => !f.locked);
    const include = restore.files.filter((f) => f.filter === 1).map((f) => f.path);
    const exclude = restore.files.filter((f) => f.filter === 2).map((f) => f.path);
    return files.filter(
      (f) =>
        (include.length === 0 || include.some((root) => isUnder(f.path, root, agent.windows))) &&
        !exclude.some((root) => isUnder(f.path, root, agent.windows)),
    );
  }

  startRestore(tenant: Tenant, restore: Restore, now: number): void {
    const files = this.restoreFiles(tenant, restore);
    const destination = tenant.agents.get(restore.destinationAgentId)!;
    // Overwriting in place fails for files another process holds open on the destination.
    const errors = restore.overwrite && restore.destinationAgentId === restore.backupAgentId ? files.filter((f) => f.changes && /\.(mdf|log)$|ibdata1|syslog/.test(f.path)) : [];
    const ok = files.filter((f) => !errors.includes(f));
    const bytes = ok.reduce((sum, f) => sum + f.size, 0);
    const slow = destination.isEncrypted || restore.encryptedPassword ? 1.5 : 1;
    const workMs = Math.ceil((bytes / UPLOAD_BYTES_PER_SECOND) * 1000 * slow) + 5_000;
    restore.filesRestored = ok.length;
    restore.bytesRestored = bytes;
    restore.errors = errors;
    restore.timeline = [
      { state: RESTORE_ID.Creating, at: restore.createdAt },
      { state: RESTORE_ID.StartRequested, at: now },
      { state: RESTORE_ID.Queued, at: now + 2_000 },
      { state: RESTORE_ID.Preparing, at: now + 4_000 },
      { state: RESTORE_ID.InProgress, at: now + 7_000 },
      { state: errors.length ? RESTORE_ID.CompletedWithErrors : RESTORE_ID.Completed, at: now + 7_000 + workMs },
    ];
    this.touch(destination, now + 7_000 + workMs);
  }

  stopRestore(restore: Restore, now: number): void {
    const kept = restore.timeline.filter((s) => s.at <= now);
    kept.push({ state: RESTORE_ID.StopRequested, at: now }, { state: RESTORE_ID.Stopped, at: now + 3_000 });
    restore.timeline = kept;
    restore.filesRestored = Math.floor(restore.filesRestored / 2);
    restore.bytesRestored = Math.floor(restore.bytesRestored / 2);
  }

  // ---------------------------------------------------------------- seeds

  /** Raises the id counters above ids given by a seed (`exact`: to the given next ids, never below ids in use). */
  bumpIds(ids: Partial<IdCounters>, exact = false): void {
    for (const [key, value] of Object.entries(ids) as Array<[keyof IdCounters, number | undefined]>) {
      if (value === undefined) continue;
      const next = exact ? value : value + 1;
      if (next > this.nextId[key]) this.nextId[key] = next;
    }
  }

  /** The next backup id (for backups a seed gives in full). */
  nextBackupId(): number {
    return this.nextId.backup++;
  }

  /** Queues a configuration's known next run (a seed that gives it). */
  queueRun(at: number, configId: number): void {
    this.due.push(at, configId);
  }

  /** Gives a backup the id a seed chose for it. */
  renumberBackup(tenant: Tenant, backup: Backup, id: number): void {
    tenant.backups.delete(backup.id);
    const config = tenant.configs.get(backup.configId);
    if (config?.lastBackupId === backup.id) config.lastBackupId = id;
    backup.id = id;
    tenant.backups.set(id, backup);
    this.bumpIds({ backup: id });
  }

  // ---------------------------------------------------------------- persistence

  /** The whole world as plain JSON (file trees and keys are rebuilt from agent ids on load). */
  toJSON(): WorldSnapshot {
    return {
      version: 1,
      nextId: { ...this.nextId },
      rngState: this.rngState,
      tokens: [...this.tokens],
      users: [...this.users.values()],
      tenants: [...this.tenants.values()].map((t) => ({
        id: t.id,
        agents: [...t.agents.values()].map(({ tree: _tree, keys: _keys, ...rest }) => rest),
        configs: [...t.configs.values()],
        backups: [...t.backups.values()],
        restores: [...t.restores.values()],
      })),
    };
  }

  /** Replaces this world's state with a snapshot made by `toJSON`. */
  load(snapshot: WorldSnapshot): void {
    this.clear();
    this.nextId = { ...snapshot.nextId };
    this.rngState = snapshot.rngState;
    for (const [token, info] of snapshot.tokens) this.tokens.set(token, info);
    for (const user of snapshot.users) this.users.set(user.username, user);
    for (const t of snapshot.tenants) {
      const tenant = this.createTenant(t.id);
      for (const a of t.agents) {
        const agent: Agent = { ...a, tree: buildFileTree(a.id, a.windows), keys: World.keysFor(a.id) };
        tenant.agents.set(agent.id, agent);
        tenant.hostIndex.set(agent.hostServerId.toLowerCase(), agent.id);
      }
      for (const c of t.configs) {
        tenant.configs.set(c.id, c);
        this.indexConfig(c);
        if (c.nextRun !== null) this.due.push(c.nextRun, c.id);
      }
      for (const b of t.backups) this.addBackup(tenant, b);
      for (const r of t.restores) tenant.restores.set(r.id, r);
    }
  }

  /** Resets ids, queue and tenants (used by /__admin/reset before re-seeding). */
  clear(): void {
    this.changed();
    this.tenants.clear();
    this.tokens.clear();
    this.users.clear();
    this.configIndex.clear();
    this.due.clear();
    this.rngState = 0x5eed;
    this.nextId = { agent: 300_000, config: 180_000, schedule: 175_000, backup: 400_000, restore: 20_000, file: 700_000 };
  }
}
