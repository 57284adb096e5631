import type { components } from "@cloud-backup/spec";
import type { AgentKeyPair } from "@cloud-backup/spec/crypto";
import type { utcEcho } from "../schedule/index.js";
import * as agents from "../resources/agents/model.js";
import * as configurations from "../resources/backup-configurations/model.js";
import * as backups from "../resources/backups/model.js";
import * as restores from "../resources/restores/model.js";
import { DueQueue } from "./due-queue.js";
import { IdSource } from "./ids.js";
import { ReadHorizon } from "./read-horizon.js";
import { RandomSource } from "./random-source.js";
import { loadSnapshot, snapshotOf } from "./snapshot.js";
import type { Agent, AgentSpec, Backup, BackupConfiguration, BackupState, IdCounters, IdentityUser } from "./types.js";
import type { Restore, Step, Tenant, TokenInfo, WorldSnapshot } from "./types.js";
import { NEVER } from "./types.js";

export * from "./types.js";
export { TERMINAL_RESTORE } from "../resources/restores/model.js";

type S = components["schemas"];

/**
 * The simulated Cloud Backup service: tenants, agents, configurations, backups, restores
 * and activity. Every state is derived from the virtual time passed in (`now`), so nothing
 * runs on timers; `catchUp(now)` materialises the scheduled runs that fell due.
 *
 * The world holds the root: tenants, tokens and users, id counters, the due-run queue, the
 * random source, revisions and read horizons, snapshots. The rules of each resource live in
 * its model (`src/resources/<slug>/model.ts`); the methods below that concern a resource
 * delegate to it.
 */
export class World {
  readonly tenants = new Map<string, Tenant>();
  /** X-Auth-Token values and what they grant. */
  readonly tokens = new Map<string, TokenInfo>();
  /** Identity users (username to credentials). */
  readonly users = new Map<string, IdentityUser>();
  /** Global id counters, shared by all tenants, as the real service's ids are. */
  private readonly idSource = new IdSource();
  private readonly due = new DueQueue();
  private readonly random = new RandomSource();
  /** The tenant of each configuration id (configuration ids are global). */
  private readonly configIndex = new Map<number, string>();
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

  /** What each read depends on while it runs (see `readAt`). */
  private readonly horizon = new ReadHorizon();

  /** Notes that what was just read at the tracked time changes at `at`. */
  until(at: number): void {
    this.horizon.until(at);
  }

  /**
   * Runs a read at `now` and says until when its result holds while nothing is written:
   * the first time a value it read changes, or the world's next due scheduled run, whichever
   * comes first. Reads are synchronous, so no other read can interleave.
   */
  readAt<T>(now: number, read: () => T): { value: T; until: number } {
    return this.horizon.run(now, read, () => this.nextDue());
  }

  /** The time of the next scheduled run the world will catch up (NEVER when none is queued). */
  nextDue(): number {
    return this.due.peek()?.[0] ?? NEVER;
  }

  /** The random source's state, so a replay makes the same draws. */
  get rngState(): number {
    return this.random.state;
  }
  set rngState(state: number) {
    this.random.state = state;
  }

  /** A number in [0, 1) from the world's seeded random source. */
  rand(): number {
    return this.random.next();
  }

  /** A version-4 UUID from the world's seeded random source. */
  uuid(): string {
    return this.random.uuid();
  }

  /** The key pair of an agent: one of the shipped pairs, chosen by id. */
  static keysFor(agentId: number): AgentKeyPair {
    return agents.keysFor(agentId);
  }

  // ---------------------------------------------------------------- ids and the due queue

  /** The next id of a kind (ids are global, shared by all tenants). */
  newId(kind: keyof IdCounters): number {
    return this.idSource.take(kind);
  }
  newConfigId(): number {
    return this.newId("config");
  }
  newScheduleId(): number {
    return this.newId("schedule");
  }
  newFileId(): number {
    return this.newId("file");
  }
  newRestoreId(): number {
    return this.newId("restore");
  }
  /** The next backup id (for backups a seed gives in full). */
  nextBackupId(): number {
    return this.newId("backup");
  }

  /** Raises the id counters above ids given by a seed (`exact`: to the given next ids, never below ids in use). */
  bumpIds(ids: Partial<IdCounters>, exact = false): void {
    this.idSource.bump(ids, exact);
  }

  /** The id counters (for snapshots). */
  ids(): IdCounters {
    return this.idSource.current();
  }

  /** Queues a configuration's next run. */
  queueRun(at: number, configId: number): void {
    this.due.push(at, configId);
  }

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
      if (!backups.runDue(this, tenant, config, at)) continue;
      configurations.scheduleAfter(this, config, at);
    }
  }

  // ---------------------------------------------------------------- tenants and the configuration index

  createTenant(id: string): Tenant {
    const tenant: Tenant = {
      id,
      agents: new Map(),
      configs: new Map(),
      backups: new Map(),
      restores: new Map(),
      hostIndex: new Map(),
      byConfig: new Map(),
      byName: new Map(),
      changedAt: 0,
    };
    this.tenants.set(id, tenant);
    return tenant;
  }

  /** Indexes a configuration by id and by (agent, name); call again after changing either. */
  indexConfig(config: BackupConfiguration): void {
    this.configIndex.set(config.id, config.tenantId);
    const tenant = this.tenants.get(config.tenantId);
    if (tenant) configurations.indexByName(tenant, config);
  }

  findConfig(id: number): BackupConfiguration | undefined {
    const tenantId = this.configIndex.get(id);
    return tenantId === undefined ? undefined : this.tenants.get(tenantId)?.configs.get(id);
  }

  // ---------------------------------------------------------------- resources (see src/resources)

  addAgent(tenant: Tenant, spec: AgentSpec, now: number): Agent {
    return agents.addAgent(this, tenant, spec, now);
  }
  isOnline(agent: Agent, now: number): boolean {
    return agents.isOnline(this, agent, now);
  }
  wake(tenant: Tenant, now: number): void {
    agents.wake(this, tenant, now);
  }
  touch(agent: Agent, at: number): void {
    agents.touch(agent, at);
  }
  agentStatus(agent: Agent, now: number): S["AgentStatus"] {
    return this.isOnline(agent, now) ? "Online" : "Offline";
  }
  lastSuccessfulBackup(tenant: Tenant, agent: Agent, now: number): number | null {
    return agents.lastSuccessfulBackup(this, tenant, agent, now);
  }
  vaultBytes(tenant: Tenant, agent: Agent, now: number): number {
    return agents.vaultBytes(this, tenant, agent, now);
  }
  schedule(config: BackupConfiguration, now: number): void {
    configurations.schedule(this, config, now);
  }
  echo(config: BackupConfiguration, now: number): ReturnType<typeof utcEcho> {
    return configurations.echo(this, config, now);
  }
  configByName(tenant: Tenant, agentId: number, name: string): BackupConfiguration | undefined {
    return configurations.configByName(tenant, agentId, name);
  }
  isBackupRunning(tenant: Tenant, configId: number, now: number): boolean {
    return backups.isBackupRunning(tenant, configId, now);
  }
  backupState(backup: Backup, now: number): Step<BackupState> {
    return this.horizon.stepAt(backup.timeline, now);
  }
  isTerminalBackup(state: BackupState): boolean {
    return backups.isTerminalBackup(state);
  }
  startBackup(tenant: Tenant, config: BackupConfiguration, at: number, scheduled: boolean): Backup {
    return backups.startBackup(this, tenant, config, at, scheduled);
  }
  stopBackup(backup: Backup, now: number): void {
    backups.stopBackup(backup, now);
  }
  addBackup(tenant: Tenant, backup: Backup): void {
    backups.addBackup(this, tenant, backup);
  }
  renumberBackup(tenant: Tenant, backup: Backup, id: number): void {
    backups.renumberBackup(this, tenant, backup, id);
  }
  versions(tenant: Tenant, configId: number, now: number): Array<{ backup: Backup; expiresAt: number | null }> {
    return backups.versions(this, tenant, configId, now);
  }
  expiryTime(tenant: Tenant, backup: Backup, now: number): number | null {
    return backups.expiryTime(this, tenant, backup, now);
  }
  isExpired(tenant: Tenant, backup: Backup, now: number): boolean {
    return this.expiryTime(tenant, backup, now) !== null;
  }
  restorableBackups(tenant: Tenant, config: BackupConfiguration, now: number): Backup[] {
    return backups.restorableBackups(this, tenant, config, now);
  }
  makeUp(tenant: Tenant, agent: Agent, now: number): void {
    backups.makeUp(this, tenant, agent, now);
  }
  restoreState(restore: Restore, now: number): Step<number> {
    return this.horizon.stepAt(restore.timeline, now);
  }
  startRestore(tenant: Tenant, restore: Restore, now: number): void {
    restores.startRestore(tenant, restore, now);
  }
  stopRestore(restore: Restore, now: number): void {
    restores.stopRestore(restore, now);
  }

  // ---------------------------------------------------------------- snapshots

  /** The whole world as plain JSON (file trees and keys are rebuilt from agent ids on load). */
  toJSON(): WorldSnapshot {
    return snapshotOf(this);
  }

  /** Replaces this world's state with a snapshot made by `toJSON`. */
  load(snapshot: WorldSnapshot): void {
    this.clear();
    this.idSource.reset(snapshot.nextId);
    loadSnapshot(this, snapshot);
  }

  /** Resets ids, queue and tenants (used by /__admin/reset before re-seeding). */
  clear(): void {
    this.changed();
    this.tenants.clear();
    this.tokens.clear();
    this.users.clear();
    this.configIndex.clear();
    this.due.clear();
    this.random.state = 0x5eed;
    this.idSource.reset();
  }
}
