/** The JSON shape of the activity list: backups, restores and cleanups, newest first. */
import type { components } from "@cloud-backup/spec";
import { MAX_ACTIVITY_ITEMS } from "../../limits.js";
import { msDate } from "../../clock.js";
import { RESTORE_STATES } from "../../world/states.js";
import type { Backup, Tenant, World } from "../../world/world.js";

type S = components["schemas"];

/** Cleanup activity ids are this plus the id of the backup version they removed. */
export const CLEANUP_ID_BASE = 1_000_000_000;

/** Activity items of a tenant, optionally for one agent, newest first. */
export function activityView(world: World, tenant: Tenant, now: number, agentId?: number): S["Activity"][] {
  const items: S["Activity"][] = [];
  for (const b of tenant.backups.values()) {
    if (b.startedAt > now) {
      world.until(b.startedAt);
      continue;
    }
    if (agentId !== undefined && b.agentId !== agentId) continue;
    const step = world.backupState(b, now);
    const agent = tenant.agents.get(b.agentId);
    items.push({
      ID: b.id,
      Type: "Backup",
      ParentId: b.configId,
      DisplayName: b.configName,
      IsBackupConfigurationDeleted: tenant.configs.get(b.configId)?.isDeleted ?? true,
      SourceMachineAgentId: b.agentId,
      SourceMachineName: b.machineName,
      DestinationMachineAgentId: 0,
      DestinationMachineName: "",
      CurrentState: step.state,
      TimeOfActivity: msDate(step.at),
      BackupId: b.id,
      SourceDatacenter: agent?.datacenter ?? "",
      DestinationDatacenter: "",
    });
  }
  for (const r of tenant.restores.values()) {
    if (agentId !== undefined && r.backupAgentId !== agentId && r.destinationAgentId !== agentId) continue;
    const step = world.restoreState(r, now);
    const backup = tenant.backups.get(r.backupId);
    const source = tenant.agents.get(r.backupAgentId);
    const destination = tenant.agents.get(r.destinationAgentId);
    items.push({
      ID: r.id,
      Type: "Restore",
      ParentId: backup?.configId ?? 0,
      DisplayName: backup?.configName ?? "",
      IsBackupConfigurationDeleted: backup ? (tenant.configs.get(backup.configId)?.isDeleted ?? true) : true,
      SourceMachineAgentId: r.backupAgentId,
      SourceMachineName: source?.name ?? backup?.machineName ?? "",
      DestinationMachineAgentId: r.destinationAgentId,
      DestinationMachineName: destination?.name ?? "",
      CurrentState: RESTORE_STATES[step.state] ?? "Creating",
      TimeOfActivity: msDate(step.at),
      BackupId: r.backupId,
      SourceDatacenter: source?.datacenter ?? "",
      DestinationDatacenter: destination?.datacenter ?? "",
    });
  }
  // A cleanup removes each backup version when it expires; its id is derived from the backup's.
  const expired: Array<{ b: Backup; at: number }> = [];
  for (const configId of tenant.byConfig.keys()) {
    for (const v of world.versions(tenant, configId, now)) if (v.expiresAt !== null) expired.push({ b: v.backup, at: v.expiresAt });
  }
  for (const { b, at } of expired) {
    if (agentId !== undefined && b.agentId !== agentId) continue;
    const c = { id: CLEANUP_ID_BASE + b.id, agentId: b.agentId, at };
    const agent = tenant.agents.get(c.agentId);
    items.push({
      ID: c.id,
      Type: "Cleanup",
      ParentId: 0,
      DisplayName: "Cleanup",
      IsBackupConfigurationDeleted: false,
      SourceMachineAgentId: c.agentId,
      SourceMachineName: agent?.name ?? "",
      DestinationMachineAgentId: 0,
      DestinationMachineName: "",
      CurrentState: "Completed",
      TimeOfActivity: msDate(c.at),
      BackupId: null,
      SourceDatacenter: agent?.datacenter ?? "",
      DestinationDatacenter: "",
    });
  }
  // Sort on numbers read once, not on strings parsed inside the comparator.
  const keyed = items.map((item) => ({ item, at: Number(item.TimeOfActivity.slice(6, -2)) }));
  keyed.sort((a, b) => b.at - a.at || b.item.ID - a.item.ID);
  // The newest MAX_ACTIVITY_ITEMS only (ERRATA E-35).
  return keyed.slice(0, MAX_ACTIVITY_ITEMS).map((k) => k.item);
}
