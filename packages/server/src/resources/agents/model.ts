/**
 * Agents: the rules of a tenant's simulated servers (online and idle times, wake-ups,
 * encryption, deletion and vault moves) and the upkeep of the host-server index.
 */
import type { components } from "@cloud-backup/spec";
import { type AgentKeyPair, decryptPassphrase } from "@cloud-backup/spec/crypto";
import { badField, conflict, notFound } from "../../problem.js";
import agentKeys from "../../world/agent-keys.json" with { type: "json" };
import { buildFileTree } from "../../world/filetree.js";
import { type Agent, type AgentSpec, IDLE_AFTER_MS, NEVER, type Tenant, WAKE_DELAY_MS } from "../../world/types.js";
import type { World } from "../../world/world.js";
import { versions } from "../backups/model.js";

type S = components["schemas"];

/** The key pair of an agent: one of the shipped pairs, chosen by id (generating 2048-bit keys is slow). */
export function keysFor(agentId: number): AgentKeyPair {
  const keys = agentKeys.keys as AgentKeyPair[];
  return keys[agentId % keys.length]!;
}

/** Adds an agent to a tenant and indexes it by host server. */
export function addAgent(world: World, tenant: Tenant, spec: AgentSpec, now: number): Agent {
  const id = spec.id ?? world.newId("agent");
  if (spec.id) world.bumpIds({ agent: spec.id });
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
    hostServerId: spec.hostServerId ?? world.uuid(),
    vaultId: world.uuid(),
    keys: keysFor(id),
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
  putAgent(tenant, agent);
  return agent;
}

/** Stores an agent (new, or rebuilt from a snapshot) and indexes it by host server. */
export function putAgent(tenant: Tenant, agent: Agent): void {
  tenant.agents.set(agent.id, agent);
  tenant.hostIndex.set(agent.hostServerId.toLowerCase(), agent.id);
}

/** The live agent with this id; a 404 otherwise (naming the body field `pointer` when given). */
export function agentOf(tenant: Tenant, id: number, pointer?: string): Agent {
  const agent = tenant.agents.get(id);
  if (!agent || agent.deleted) {
    const error = notFound(`Agent ${id}`);
    if (pointer) error.errors.push({ in: "body", pointer, message: `agent ${id} does not exist in this account` });
    throw error;
  }
  return agent;
}

/** The agent on a host server (any case of its id). */
export function agentOnHost(tenant: Tenant, hostServerId: string): Agent {
  const id = tenant.hostIndex.get(hostServerId.toLowerCase());
  if (id === undefined) throw notFound(`An agent on host server ${hostServerId}`);
  return agentOf(tenant, id);
}

/** The tenant's live agents. */
export function liveAgents(tenant: Tenant): Agent[] {
  return [...tenant.agents.values()].filter((a) => !a.deleted);
}

/** Whether the agent answers as Online at `now`. */
export function isOnline(world: World, agent: Agent, now: number): boolean {
  if (agent.forcedOffline || agent.deleted) return false;
  if (now < agent.onlineFrom) {
    if (agent.onlineFrom !== NEVER) world.until(agent.onlineFrom);
    return false;
  }
  // Starting a job moves lastActivity to the job's end, so a busy agent stays online.
  const online = now <= agent.lastActivity + IDLE_AFTER_MS;
  if (online) world.until(agent.lastActivity + IDLE_AFTER_MS + 1);
  return online;
}

/** Wakes every agent of the tenant: they come Online after the wake-up delay. */
export function wake(world: World, tenant: Tenant, now: number): void {
  for (const agent of tenant.agents.values()) {
    if (isOnline(world, agent, now)) {
      agent.lastActivity = now;
      continue;
    }
    agent.onlineFrom = now + WAKE_DELAY_MS;
    agent.lastActivity = now + WAKE_DELAY_MS;
  }
}

/** Keeps an agent busy (so online) until `at`. */
export function touch(agent: Agent, at: number): void {
  if (at > agent.lastActivity) agent.lastActivity = at;
}

/** Ids of the configurations whose backups belong to an agent (live or deleted). */
function agentConfigIds(tenant: Tenant, agent: Agent): number[] {
  const ids: number[] = [];
  for (const id of tenant.byConfig.keys()) if (tenant.configs.get(id)?.agentId === agent.id) ids.push(id);
  return ids;
}

export function lastSuccessfulBackup(world: World, tenant: Tenant, agent: Agent, now: number): number | null {
  let best: number | null = null;
  for (const id of agentConfigIds(tenant, agent)) {
    for (const { backup } of versions(world, tenant, id, now)) {
      const at = backup.timeline[backup.timeline.length - 1]!.at;
      if (backup.agentId === agent.id && (best === null || at > best)) best = at;
    }
  }
  return best;
}

export function vaultBytes(world: World, tenant: Tenant, agent: Agent, now: number): number {
  let bytes = 0;
  for (const id of agentConfigIds(tenant, agent)) {
    for (const { backup, expiresAt } of versions(world, tenant, id, now)) {
      if (backup.agentId === agent.id && expiresAt === null) bytes += backup.bytesBackedUp;
    }
  }
  return bytes;
}

/** The passphrase in `hex`, encrypted with the agent's public key; a 400 naming `pointer` otherwise. */
export function decryptOrFail(agent: Agent, hex: string, pointer: string): string {
  const passphrase = decryptPassphrase(agent.keys.privateKeyPem, hex);
  if (passphrase === null)
    throw badField(pointer, `is not a passphrase encrypted with agent ${agent.id}'s public key (RSA PKCS#1 v1.5, hex)`);
  return passphrase;
}

/** Enables or disables an agent: its configurations are rescheduled, and missed runs made up on enabling. */
export function setEnabled(world: World, tenant: Tenant, agent: Agent, enable: boolean, now: number): void {
  const wasDisabled = agent.isDisabled;
  agent.isDisabled = !enable;
  for (const config of tenant.configs.values()) if (config.agentId === agent.id) world.schedule(config, now);
  if (wasDisabled && enable) world.makeUp(tenant, agent, now);
}

export function enableEncryption(agent: Agent, encryptedHex: string): void {
  if (agent.isEncrypted) throw conflict(`Agent ${agent.id} is already encrypted; use changeEncryptionPassword to change the passphrase.`);
  agent.passphrase = decryptOrFail(agent, encryptedHex, "/EncryptedPasswordHex");
  agent.isEncrypted = true;
}

export function changePassphrase(agent: Agent, oldHex: string, newHex: string): void {
  if (!agent.isEncrypted) throw conflict(`Agent ${agent.id} is not encrypted; enable encryption first.`);
  const old = decryptOrFail(agent, oldHex, "/OldEncryptedPasswordHex");
  const next = decryptOrFail(agent, newHex, "/NewEncryptedPasswordHex");
  if (old !== agent.passphrase) throw badField("/OldEncryptedPasswordHex", "does not match the current passphrase");
  agent.passphrase = next;
}

/** Deletes an agent with its configurations, its backups and the restores of those backups. */
export function deleteAgent(tenant: Tenant, agent: Agent): void {
  agent.deleted = true;
  tenant.agents.delete(agent.id);
  tenant.hostIndex.delete(agent.hostServerId.toLowerCase());
  for (const [id, config] of tenant.configs) if (config.agentId === agent.id) tenant.configs.delete(id);
  for (const [id, backup] of tenant.backups) if (backup.agentId === agent.id) tenant.backups.delete(id);
  // Restores of the deleted backups go with them (a restore view needs its backup and source agent).
  for (const [id, restore] of tenant.restores) if (!tenant.backups.has(restore.backupId)) tenant.restores.delete(id);
}

/** Moves the vault, configurations and backups of `source` to `destination` (both unencrypted; the destination has no configurations). */
export function migrateVault(world: World, tenant: Tenant, source: Agent, destination: Agent, now: number): void {
  if (source.isEncrypted || destination.isEncrypted) {
    throw conflict(
      `Vaults can only move between unencrypted agents; agent ${source.isEncrypted ? source.id : destination.id} is encrypted.`,
    );
  }
  const busy = [...tenant.configs.values()].some((c) => c.agentId === destination.id && !c.isDeleted);
  if (busy) throw conflict(`Agent ${destination.id} already has backup configurations; the destination must have none.`);
  for (const config of tenant.configs.values()) {
    if (config.agentId !== source.id) continue;
    config.agentId = destination.id;
    world.indexConfig(config);
    world.schedule(config, now);
  }
  for (const backup of tenant.backups.values()) {
    if (backup.agentId !== source.id) continue;
    backup.agentId = destination.id;
    backup.machineName = destination.name;
  }
  // Restores follow their backups, so a restore's source agent is always its backup's agent.
  for (const restore of tenant.restores.values()) {
    if (tenant.backups.get(restore.backupId)?.agentId === destination.id) restore.backupAgentId = destination.id;
  }
  destination.vaultId = source.vaultId;
}

/** Sets where an agent's backups are kept and whether it uses ServiceNet. */
export function setBackupBehavior(tenant: Tenant, agent: Agent, datacenter: S["Datacenter"] | undefined, useServiceNet: boolean): void {
  if (datacenter !== undefined) {
    const present = [...tenant.agents.values()].some((a) => a.datacenter === datacenter);
    if (!present) throw badField("/BackupDataCenter", `names a data center where this account has no servers (${datacenter})`);
    agent.backupDatacenter = datacenter;
  }
  agent.useServiceNet = useServiceNet;
}

export function setLogLevel(agent: Agent, level: number): void {
  agent.logLevel = level;
}
