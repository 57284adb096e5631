/**
 * Restores: starting a restore set up in state Creating (destination enabled and online, the
 * passphrase of an encrypted backup), its timeline, the files it brings back, and stopping it.
 */
import type { RequestBody } from "../../handler-types.js";
import { badField, conflict, forbidden } from "../../problem.js";
import { isUnder, selectFiles, type SimFile } from "../../world/filetree.js";
import { RESTORE_ID, RESTORE_LIFECYCLE } from "../../world/states.js";
import {
  type Agent,
  type Backup,
  type BackupConfiguration,
  type Restore,
  type Tenant,
  UPLOAD_BYTES_PER_SECOND,
} from "../../world/types.js";
import type { World } from "../../world/world.js";
import { agentOf, decryptOrFail, isOnline, touch } from "../agents/model.js";
import { liveConfigs } from "../backup-configurations/model.js";
import { restorableBackups } from "../backups/model.js";
import { restoreOf } from "../restore-configurations/model.js";

/** Terminal restore states by `RestoreStateId`, from the description's restore lifecycle. */
export const TERMINAL_RESTORE = new Set(RESTORE_LIFECYCLE.terminal.map((name) => RESTORE_ID[name]));

/** The files a restore brings back: the backup's files, narrowed by the restore's own rules. */
export function restoreFiles(tenant: Tenant, restore: Restore): SimFile[] {
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

/** Starts a restore at `now`: its timeline to Completed (or CompletedWithErrors) and what it restores. */
export function startRestore(tenant: Tenant, restore: Restore, now: number): void {
  const files = restoreFiles(tenant, restore);
  const destination = tenant.agents.get(restore.destinationAgentId)!;
  // Overwriting in place fails for files another process holds open on the destination.
  const errors =
    restore.overwrite && restore.destinationAgentId === restore.backupAgentId
      ? files.filter((f) => f.changes && /\.(mdf|log)$|ibdata1|syslog/.test(f.path))
      : [];
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
  touch(destination, now + 7_000 + workMs);
}

/** Asks a running restore to stop: StopRequested now, Stopped shortly after. */
export function stopRestore(restore: Restore, now: number): void {
  const kept = restore.timeline.filter((s) => s.at <= now);
  kept.push({ state: RESTORE_ID.StopRequested, at: now }, { state: RESTORE_ID.Stopped, at: now + 3_000 });
  restore.timeline = kept;
  restore.filesRestored = Math.floor(restore.filesRestored / 2);
  restore.bytesRestored = Math.floor(restore.bytesRestored / 2);
}

/** Starts (StartManual) or stops (StopManual) a restore, by the rules of each. */
export function restoreAction(world: World, tenant: Tenant, body: RequestBody<"requestRestoreAction">, now: number): void {
  const restore = restoreOf(tenant, body.Id, "/Id");
  const state = world.restoreState(restore, now).state;
  if (body.Action === "StopManual") {
    if (state === RESTORE_ID.Creating || TERMINAL_RESTORE.has(state) || state === RESTORE_ID.StopRequested) {
      throw conflict(`Restore ${restore.id} is not running (state ${state}); only a running restore can be stopped.`);
    }
    stopRestore(restore, now);
    return;
  }
  if (state !== RESTORE_ID.Creating) throw conflict(`Restore ${restore.id} has already started (state ${state}).`);
  const destination = agentOf(tenant, restore.destinationAgentId);
  if (destination.isDisabled) throw conflict(`Agent ${destination.id} is disabled; enable it first.`);
  if (!isOnline(world, destination, now)) {
    throw forbidden(`Agent ${destination.id} is not online. Wake it (POST /user/wakeupagents), wait 10 to 20 seconds, then retry.`);
  }
  const backup = tenant.backups.get(restore.backupId);
  if (backup?.encrypted) {
    if (!body.EncryptedPassword) throw badField("/EncryptedPassword", "is required to restore an encrypted backup");
    const passphrase = decryptOrFail(destination, body.EncryptedPassword, "/EncryptedPassword");
    const source = tenant.agents.get(restore.backupAgentId);
    if (source && source.passphrase !== null && passphrase !== source.passphrase) {
      throw badField("/EncryptedPassword", "does not match the passphrase of the backup");
    }
    restore.encryptedPassword = body.EncryptedPassword;
  }
  startRestore(tenant, restore, now);
}

/** The live configurations with backups that can be restored, each with its agent and newest such backup. */
export function availableBackups(
  world: World,
  tenant: Tenant,
  now: number,
): Array<{ config: BackupConfiguration; agent: Agent; last: Backup }> {
  const list: Array<{ config: BackupConfiguration; agent: Agent; last: Backup }> = [];
  for (const config of liveConfigs(tenant)) {
    const backups = restorableBackups(world, tenant, config, now);
    const agent = tenant.agents.get(config.agentId);
    if (backups.length && agent) list.push({ config, agent, last: backups[0]! });
  }
  return list;
}
