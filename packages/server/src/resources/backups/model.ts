/**
 * Backups: runs of a configuration (manual, scheduled, made up, skipped or missed), their
 * timelines, stopping, versions and their expiry, and the upkeep of the per-configuration
 * index and of the account's history limit.
 */
import { MAX_BACKUPS_PER_TENANT } from "../../limits.js";
import { selectFiles, type Selection } from "../../world/filetree.js";
import { BACKUP_LIFECYCLE } from "../../world/states.js";
import {
  type Agent,
  type Backup,
  type BackupConfiguration,
  type BackupState,
  type ConfigItem,
  SCAN_FILES_PER_SECOND,
  type Step,
  type Tenant,
  UPLOAD_BYTES_PER_SECOND,
} from "../../world/types.js";
import type { World } from "../../world/world.js";
import { conflict, forbidden, notFound } from "../../problem.js";
import { agentOf, isOnline, touch } from "../agents/model.js";

const TERMINAL_BACKUP = new Set<BackupState>(BACKUP_LIFECYCLE.terminal);

/** The step of a timeline at `now` (without noting when the next begins). */
export function stateAt<T>(timeline: Step<T>[], now: number): Step<T> {
  let current = timeline[0]!;
  for (const step of timeline) {
    if (step.at <= now) current = step;
    else break;
  }
  return current;
}

export function isTerminalBackup(state: BackupState): boolean {
  return TERMINAL_BACKUP.has(state);
}

/** The backup with this id; a 404 otherwise (naming the body field `pointer` when given). */
export function backupOf(tenant: Tenant, id: number, pointer?: string, message?: string): Backup {
  const backup = tenant.backups.get(id);
  if (!backup) {
    const error = notFound(`Backup ${id}`);
    if (pointer) error.errors.push({ in: "body", pointer, message: message ?? `backup ${id} does not exist in this account` });
    throw error;
  }
  return backup;
}

export function isBackupRunning(tenant: Tenant, configId: number, now: number): boolean {
  const list = tenant.byConfig.get(configId) ?? [];
  // Runs of one configuration never overlap, so only the newest can still be running.
  for (let i = list.length - 1; i >= 0 && i >= list.length - 2; i--) {
    const b = list[i]!;
    if (tenant.backups.has(b.id) && !TERMINAL_BACKUP.has(stateAt(b.timeline, now).state)) return true;
  }
  return false;
}

const selections = new WeakMap<ConfigItem[], { exclusions: ConfigItem[]; selection: Selection }>();

/** The configuration's file selection, shared by all its backups while it is unchanged. */
function selectionOf(config: BackupConfiguration): Selection {
  const cached = selections.get(config.inclusions);
  if (cached && cached.exclusions === config.exclusions) return cached.selection;
  const selection: Selection = { include: config.inclusions.map((i) => i.FilePath), exclude: config.exclusions.map((i) => i.FilePath) };
  selections.set(config.inclusions, { exclusions: config.exclusions, selection });
  return selection;
}

/** Starts a run of a configuration at `at` (manual, scheduled or made up). */
export function startBackup(world: World, tenant: Tenant, config: BackupConfiguration, at: number, scheduled: boolean): Backup {
  const agent = tenant.agents.get(config.agentId)!;
  const selection = selectionOf(config);
  const files = selectFiles(agent.tree, selection);
  const previous = (tenant.byConfig.get(config.id) ?? []).some(
    (b) =>
      tenant.backups.has(b.id) &&
      (b.outcome === "Completed" || b.outcome === "CompletedWithErrors") &&
      b.timeline[b.timeline.length - 1]!.at <= at,
  );
  const readable = files.filter((f) => !f.locked);
  const uploaded = previous ? readable.filter((f) => f.changes) : readable;
  const bytesSearched = files.reduce((sum, f) => sum + f.size, 0);
  const bytesBackedUp = uploaded.reduce((sum, f) => sum + f.size, 0);
  const slow = agent.isEncrypted ? 1.5 : 1;
  const scanMs = Math.ceil((files.length / SCAN_FILES_PER_SECOND) * 1000) + 3_000;
  const uploadMs = Math.ceil((bytesBackedUp / UPLOAD_BYTES_PER_SECOND) * 1000 * slow) + 5_000;
  const fails = config.failurePercent > 0 && world.rand() * 100 < config.failurePercent;
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
    id: world.newId("backup"),
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
  addBackup(world, tenant, backup);
  config.lastRunTime = t0;
  config.lastBackupId = backup.id;
  touch(agent, timeline[timeline.length - 1]!.at);
  return backup;
}

/** Starts a manual run (StartManual): the configuration active, its agent enabled and online, no run of it going. */
export function startManual(world: World, tenant: Tenant, configId: number, now: number): Backup {
  const config = tenant.configs.get(configId);
  if (!config) {
    const error = notFound(`Backup configuration ${configId}`);
    error.errors.push({ in: "body", pointer: "/Id", message: "must be a backup configuration id when Action is StartManual" });
    throw error;
  }
  if (config.isDeleted) throw conflict(`Backup configuration ${config.id} is deleted.`);
  if (!config.isActive) throw conflict(`Backup configuration ${config.id} is disabled; enable it first.`);
  const agent = agentOf(tenant, config.agentId);
  if (agent.isDisabled) throw conflict(`Agent ${agent.id} is disabled; enable it first.`);
  if (!isOnline(world, agent, now)) {
    throw forbidden(`Agent ${agent.id} is not online. Wake it (POST /user/wakeupagents), wait 10 to 20 seconds, then retry.`);
  }
  if (isBackupRunning(tenant, config.id, now)) throw conflict(`A backup of configuration ${config.id} is already running.`);
  return startBackup(world, tenant, config, now, false);
}

/** Records a run that could not happen (Skipped or Missed) at `at`. */
export function recordUnrun(world: World, tenant: Tenant, config: BackupConfiguration, at: number, state: "Skipped" | "Missed"): void {
  const agent: Agent = tenant.agents.get(config.agentId)!;
  const backup: Backup = {
    id: world.newId("backup"),
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
  addBackup(world, tenant, backup);
}

/** Asks a running backup to stop: StopRequested now, Stopped shortly after. */
export function stopBackup(backup: Backup, now: number): void {
  const kept = backup.timeline.filter((s) => s.at <= now);
  kept.push({ state: "StopRequested", at: now }, { state: "Stopped", at: now + 3_000 });
  backup.timeline = kept;
  backup.outcome = "Stopped";
  const ratio = 0.5;
  backup.filesBackedUp = Math.floor(backup.filesBackedUp * ratio);
  backup.bytesBackedUp = Math.floor(backup.bytesBackedUp * ratio);
}

/** Stops a running backup (StopManual); a 409 when it is not running. */
export function stopManual(world: World, backup: Backup, now: number): void {
  const state = world.backupState(backup, now).state;
  if (isTerminalBackup(state) || state === "StopRequested")
    throw conflict(`Backup ${backup.id} is ${state}; only a running backup can be stopped.`);
  stopBackup(backup, now);
}

/** Stores a backup and indexes it by configuration, keeping the account within its history limit. */
export function addBackup(world: World, tenant: Tenant, backup: Backup): void {
  world.changed(tenant.id);
  tenant.backups.set(backup.id, backup);
  let list = tenant.byConfig.get(backup.configId);
  if (!list) tenant.byConfig.set(backup.configId, (list = []));
  list.push(backup);
  if (tenant.backups.size > MAX_BACKUPS_PER_TENANT) forgetOldest(world, tenant, backup.startedAt);
}

/** Gives a backup the id a seed chose for it. */
export function renumberBackup(world: World, tenant: Tenant, backup: Backup, id: number): void {
  tenant.backups.delete(backup.id);
  const config = tenant.configs.get(backup.configId);
  if (config?.lastBackupId === backup.id) config.lastBackupId = id;
  backup.id = id;
  tenant.backups.set(id, backup);
  world.bumpIds({ backup: id });
}

/**
 * Keeps the history of an account within MAX_BACKUPS_PER_TENANT (ERRATA E-35): forgets the
 * oldest backup that had finished by `at`, is not its configuration's last run and that no
 * restore uses.
 */
function forgetOldest(world: World, tenant: Tenant, at: number): void {
  const used = new Set<number>();
  for (const restore of tenant.restores.values()) used.add(restore.backupId);
  for (const old of tenant.backups.values()) {
    if (used.has(old.id) || old.timeline[old.timeline.length - 1]!.at > at) continue;
    if (world.findConfig(old.configId)?.lastBackupId === old.id) continue;
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
export function versions(world: World, tenant: Tenant, configId: number, now: number): Array<{ backup: Backup; expiresAt: number | null }> {
  const done: Backup[] = [];
  for (const b of tenant.byConfig.get(configId) ?? []) {
    if (!tenant.backups.has(b.id) || b.configId !== configId) continue;
    const state = stateAt(b.timeline, now).state;
    if (state === "Completed" || state === "CompletedWithErrors") done.push(b);
    else {
      // Only the last step can make it a version.
      const last = b.timeline[b.timeline.length - 1]!;
      if (last.at > now && (last.state === "Completed" || last.state === "CompletedWithErrors")) world.until(last.at);
    }
  }
  done.sort((a, b) => b.startedAt - a.startedAt || b.id - a.id);
  const retention = tenant.configs.get(configId)?.versionRetention ?? 0;
  const end = (b: Backup) => b.timeline[b.timeline.length - 1]!.at;
  return done.map((backup, i) => {
    if (i === 0 || retention === 0) return { backup, expiresAt: null };
    const at = Math.max(end(backup) + retention * 86_400_000, end(done[i - 1]!));
    if (at > now) world.until(at);
    return { backup, expiresAt: at <= now ? at : null };
  });
}

/** When a completed backup expired, or null while it is kept. */
export function expiryTime(world: World, tenant: Tenant, backup: Backup, now: number): number | null {
  return versions(world, tenant, backup.configId, now).find((v) => v.backup === backup)?.expiresAt ?? null;
}

/** Completed (or completed with errors) backups of a configuration that have not expired, newest first. */
export function restorableBackups(world: World, tenant: Tenant, config: BackupConfiguration, now: number): Backup[] {
  return versions(world, tenant, config.id, now)
    .filter((v) => v.expiresAt === null)
    .map((v) => v.backup);
}

/** Runs missed backups that wait for their agent (MissedBackupActionId 1). */
export function makeUp(world: World, tenant: Tenant, agent: Agent, now: number): void {
  for (const config of tenant.configs.values()) {
    if (config.agentId !== agent.id || !config.makeUpPending || config.isDeleted || !config.isActive) continue;
    config.makeUpPending = false;
    if (!isBackupRunning(tenant, config.id, now)) startBackup(world, tenant, config, now, true);
  }
}

/**
 * The run of a configuration that fell due at `at`: started, or recorded as Missed or Skipped.
 * False when its agent is gone (the configuration is then not scheduled again).
 */
export function runDue(world: World, tenant: Tenant, config: BackupConfiguration, at: number): boolean {
  const agent = tenant.agents.get(config.agentId);
  if (!agent || agent.deleted) return false;
  if (agent.isDisabled || agent.forcedOffline) {
    recordUnrun(world, tenant, config, at, "Missed");
    if (config.missedBackupActionId === 1) config.makeUpPending = true;
  } else if (isBackupRunning(tenant, config.id, at)) {
    recordUnrun(world, tenant, config, at, "Skipped");
  } else {
    startBackup(world, tenant, config, at, true);
  }
  return true;
}
