/**
 * Seed files: the `WorldSeed` format of `openapi/admin.yaml` (published as
 * `seed.schema.json`). `loadSeed` builds a world from one (checked against the schema, then
 * for references that must exist, each problem named by its JSON pointer); `exportWorld`
 * writes the current world in the same format, times relative to the current virtual time,
 * so loading the export at that time reproduces every answer.
 */
import { adminDocument } from "@cloud-backup/spec";
import type { ValidateFunction } from "ajv";
import type { ScheduleInput } from "../schedule/index.js";
import { compileAt, createAjv } from "../validation.js";
import type { SimFile } from "./filetree.js";
import type { BackupState, ConfigItem, Datacenter, Role } from "./types.js";

export { loadSeed } from "./seed-load.js";
export { exportWorld } from "./seed-export.js";

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
  constructor(readonly problems: Array<{ pointer: string; message: string }>) {
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
