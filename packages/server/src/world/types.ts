/**
 * The shapes the world holds: its root (tenants, tokens, Identity users, id counters, the
 * snapshot format) and each resource's records. The rules that change them live in the
 * resource models (`src/resources/<slug>/model.ts`).
 */
import type { components } from "@cloud-backup/spec";
import type { AgentKeyPair } from "@cloud-backup/spec/crypto";
import type { ScheduleInput } from "../schedule/index.js";
import type { FileTree, Selection, SimFile } from "./filetree.js";

type S = components["schemas"];
export type BackupState = S["BackupState"];
export type Datacenter = S["Datacenter"];

/** A time that never comes (JSON-safe, unlike Infinity). */
export const NEVER = Number.MAX_SAFE_INTEGER;

/** Seconds an agent takes to come online after a wake-up (the service says 10 to 20). */
export const WAKE_DELAY_MS = 15_000;
/** An agent with nothing to do goes idle (Offline) this long after its last activity. */
export const IDLE_AFTER_MS = 30 * 60_000;
/** How fast a simulated agent uploads (backups) and writes (restores). */
export const UPLOAD_BYTES_PER_SECOND = 20 * 1024 * 1024;
/** How fast a simulated agent searches files. */
export const SCAN_FILES_PER_SECOND = 2_000;

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

/** A state and the time it begins. */
export interface Step<T> {
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
