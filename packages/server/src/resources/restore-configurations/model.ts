/**
 * Restore configurations: a restore while it is being set up (state Creating): which backup,
 * where to, and which files. Only a restore in state Creating may change.
 */
import type { RequestBody } from "../../handler-types.js";
import { badField, conflict, notFound } from "../../problem.js";
import { RESTORE_ID } from "../../world/states.js";
import type { Restore, Tenant } from "../../world/types.js";
import type { World } from "../../world/world.js";
import { agentOf } from "../agents/model.js";
import { isAbsolute } from "../backup-configurations/model.js";
import { backupOf, restorableBackups } from "../backups/model.js";

const FILTERS: Record<string, 1 | 2> = { "1": 1, "2": 2, Include: 1, Exclude: 2 };
const ITEM_TYPES: Record<string, 0 | 1 | 2> = { "0": 0, "1": 1, "2": 2, File: 0, Folder: 1, Database: 2 };

/** The restore with this id; a 404 otherwise (naming the body field `pointer` when given). */
export function restoreOf(tenant: Tenant, id: number, pointer?: string): Restore {
  const restore = tenant.restores.get(id);
  if (!restore) {
    const error = notFound(`Restore ${id}`);
    if (pointer) error.errors.push({ in: "body", pointer, message: `restore ${id} does not exist in this account` });
    throw error;
  }
  return restore;
}

function requireCreating(world: World, restore: Restore, now: number): void {
  const state = world.restoreState(restore, now).state;
  if (state !== RESTORE_ID.Creating)
    throw conflict(
      `Restore ${restore.id} has started (state ${state}); only a restore in state ${RESTORE_ID.Creating} (Creating) can be changed.`,
    );
}

/** Creates a restore (state Creating) of a backup that can still be restored. */
export function createRestore(world: World, tenant: Tenant, body: RequestBody<"createRestore">, now: number): Restore {
  const backup = backupOf(tenant, body.BackupId, "/BackupId");
  const config = tenant.configs.get(backup.configId);
  if (!config || !restorableBackups(world, tenant, config, now).includes(backup)) {
    throw badField("/BackupId", `is not a completed backup that can still be restored`);
  }
  if (body.BackupMachineId !== backup.agentId)
    throw badField("/BackupMachineId", `must be the agent that made backup ${backup.id} (${backup.agentId})`);
  const destination = agentOf(tenant, body.DestinationMachineId, "/DestinationMachineId");
  if (!isAbsolute(body.DestinationPath, destination.windows)) {
    throw badField("/DestinationPath", `must be an absolute ${destination.windows ? "Windows" : "Linux"} path on agent ${destination.id}`);
  }
  const source = tenant.agents.get(backup.agentId)!;
  const restore: Restore = {
    id: world.newId("restore"),
    tenantId: tenant.id,
    backupId: backup.id,
    backupAgentId: backup.agentId,
    destinationAgentId: destination.id,
    destinationPath: body.DestinationPath,
    overwrite: body.OverwriteFiles,
    backupDatacenter: body.BackupDataCenter ?? source.backupDatacenter,
    createdAt: now,
    timeline: [{ state: RESTORE_ID.Creating, at: now }],
    files: [],
    encryptedPassword: null,
    filesRestored: 0,
    bytesRestored: 0,
    errors: [],
  };
  putRestore(tenant, restore);
  return restore;
}

/** Stores a restore (new, seeded or loaded). */
export function putRestore(tenant: Tenant, restore: Restore): void {
  tenant.restores.set(restore.id, restore);
}

/** Changes where a restore in state Creating writes to (its backup stays). */
export function updateRestore(world: World, tenant: Tenant, body: RequestBody<"updateRestore">, now: number): void {
  const restore = restoreOf(tenant, body.RestoreId, "/RestoreId");
  requireCreating(world, restore, now);
  if (body.BackupId !== restore.backupId) throw badField("/BackupId", `must be the restore's backup (${restore.backupId})`);
  if (body.BackupMachineId !== restore.backupAgentId)
    throw badField("/BackupMachineId", `must be the agent that made the backup (${restore.backupAgentId})`);
  const backup = tenant.backups.get(restore.backupId);
  if (backup && body.BackupConfigurationId !== backup.configId) {
    throw badField("/BackupConfigurationId", `must be the backup's configuration (${backup.configId})`);
  }
  const destination = agentOf(tenant, body.DestinationMachineId, "/DestinationMachineId");
  if (!isAbsolute(body.DestinationPath, destination.windows))
    throw badField("/DestinationPath", "must be an absolute path on the destination agent");
  restore.destinationAgentId = destination.id;
  restore.destinationPath = body.DestinationPath;
  restore.overwrite = body.OverwriteFiles;
  if (body.BackupDataCenter) restore.backupDatacenter = body.BackupDataCenter;
}

/** Adds a file rule (include or exclude) to a restore in state Creating. */
export function addRestoreFile(world: World, tenant: Tenant, body: RequestBody<"addRestoreFile">, now: number): void {
  const restore = restoreOf(tenant, body.ParentId, "/ParentId");
  requireCreating(world, restore, now);
  const filter = FILTERS[String(body.Filter)]!;
  const itemType = ITEM_TYPES[String(body.FileItemType)]!;
  restore.files.push({ id: world.newId("file"), path: body.FilePath, filter, itemType });
}

/** Removes a file rule, by its id, from the restore in state Creating that has it. */
export function deleteRestoreFile(world: World, tenant: Tenant, fileId: number, now: number): void {
  for (const restore of tenant.restores.values()) {
    const index = restore.files.findIndex((f) => f.id === fileId);
    if (index < 0) continue;
    requireCreating(world, restore, now);
    restore.files.splice(index, 1);
    return;
  }
  throw notFound(`Restore file ${fileId}`);
}
