/** Writes the current world as a seed (see `seed-format.ts`). */
import type { SimFile } from "./filetree.js";
import type { SeedTenant, WorldSeed } from "./seed-format.js";
import { type Agent, NEVER } from "./types.js";
import type { World } from "./world.js";

const rel = (base: number, t: number) => (t - base) / 1000;

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
