/**
 * Backup configurations: what a configuration may say (time zone, absolute paths on its
 * agent, a name unique per agent, the account's limit), its schedule and next run, and the
 * upkeep of the by-name index.
 */
import type { components } from "@cloud-backup/spec";
import { MAX_CONFIGURATIONS_PER_TENANT } from "../../limits.js";
import { ApiError, badField, conflict, notFound } from "../../problem.js";
import { isKnownTimeZone, nextRunAfter, type ScheduleInput, utcEcho } from "../../schedule/index.js";
import type { Agent, BackupConfiguration, ConfigItem, Tenant } from "../../world/types.js";
import type { World } from "../../world/world.js";
import type { RequestBody } from "../../handler-types.js";
import { agentOf } from "../agents/model.js";

type S = components["schemas"];
type ConfigBody = S["BackupConfigurationFields"];

/** The configuration with this id (deleted ones included). */
export function configOf(tenant: Tenant, id: number): BackupConfiguration {
  const config = tenant.configs.get(id);
  if (!config) throw notFound(`Backup configuration ${id}`);
  return config;
}

/** The configuration with this id, unless deleted (`what` says how the 404 names a deleted one). */
export function liveConfigOf(tenant: Tenant, id: number, what = "deleted"): BackupConfiguration {
  const config = configOf(tenant, id);
  if (config.isDeleted) throw notFound(`Backup configuration ${config.id} (${what})`);
  return config;
}

/** The live configurations of a tenant, or of one of its agents. */
export function liveConfigs(tenant: Tenant, agentId?: number): BackupConfiguration[] {
  const list: BackupConfiguration[] = [];
  for (const config of tenant.configs.values())
    if (!config.isDeleted && (agentId === undefined || config.agentId === agentId)) list.push(config);
  return list;
}

/** Whether a path is absolute on a Windows or a Linux agent. */
export function isAbsolute(path: string, windows: boolean): boolean {
  return windows ? /^[A-Za-z]:[\\/]/.test(path) || path.startsWith("\\\\") : path.startsWith("/");
}

function checkPaths(items: S["BackupConfigurationFileRequest"][] | undefined, agent: Agent, pointer: string): void {
  items?.forEach((item, i) => {
    if (!isAbsolute(item.FilePath, agent.windows)) {
      throw badField(`${pointer}/${i}/FilePath`, `must be an absolute ${agent.windows ? "Windows" : "Linux"} path on agent ${agent.id}`);
    }
  });
}

function scheduleOf(body: ConfigBody): ScheduleInput {
  return {
    Frequency: body.Frequency,
    StartTimeHour: body.StartTimeHour,
    StartTimeMinute: body.StartTimeMinute,
    StartTimeAmPm: body.StartTimeAmPm,
    DayOfWeekId: body.DayOfWeekId,
    HourInterval: body.HourInterval,
    TimeZoneId: body.TimeZoneId,
  };
}

function checkConfigBody(_world: World, tenant: Tenant, body: ConfigBody, exceptId?: number): Agent {
  if (!isKnownTimeZone(body.TimeZoneId)) {
    throw badField("/TimeZoneId", `is not a known Windows time-zone name (for example "Eastern Standard Time")`);
  }
  const agent = agentOf(tenant, body.MachineAgentId, "/MachineAgentId");
  checkPaths(body.Inclusions, agent, "/Inclusions");
  checkPaths(body.Exclusions, agent, "/Exclusions");
  const sameName = configByName(tenant, agent.id, body.BackupConfigurationName);
  if (sameName && sameName.id !== exceptId) {
    // createBackupConfiguration documents 409 for this; updateBackupConfiguration documents no 409, so 400 there.
    throw new ApiError(
      exceptId === undefined ? 409 : 400,
      `Agent ${agent.id} already has a configuration named "${body.BackupConfigurationName}".`,
      [{ in: "body", pointer: "/BackupConfigurationName", message: "is already used by another configuration of this agent" }],
    );
  }
  return agent;
}

function items(world: World, list: S["BackupConfigurationFileRequest"][] | undefined): ConfigItem[] {
  return (list ?? []).map((i) => ({ FileId: world.newId("file"), FilePath: i.FilePath, FileItemType: i.FileItemType }));
}

/** Stores a configuration (new, seeded or loaded) and indexes it. */
export function putConfig(world: World, tenant: Tenant, config: BackupConfiguration): void {
  tenant.configs.set(config.id, config);
  world.indexConfig(config);
}

/** Creates a configuration from a request body and schedules it. */
export function createConfig(world: World, tenant: Tenant, body: ConfigBody, now: number): BackupConfiguration {
  const agent = checkConfigBody(world, tenant, body);
  if (tenant.configs.size >= MAX_CONFIGURATIONS_PER_TENANT) {
    throw conflict(
      `The account holds ${tenant.configs.size} backup configurations, the most an account may hold (${MAX_CONFIGURATIONS_PER_TENANT}, deleted ones included).`,
    );
  }
  const config: BackupConfiguration = {
    id: world.newId("config"),
    tenantId: tenant.id,
    agentId: agent.id,
    scheduleId: world.newId("schedule"),
    name: body.BackupConfigurationName,
    isActive: body.IsActive,
    isDeleted: false,
    versionRetention: body.VersionRetention,
    missedBackupActionId: body.MissedBackupActionId ?? 1,
    schedule: scheduleOf(body),
    anchor: now,
    nextRun: null,
    lastRunTime: null,
    lastBackupId: null,
    notifyRecipients: body.NotifyRecipients,
    notifySuccess: body.NotifySuccess,
    notifyFailure: body.NotifyFailure,
    inclusions: items(world, body.Inclusions),
    exclusions: items(world, body.Exclusions),
    prescript: body.BackupPrescript ?? "",
    postscript: body.BackupPostscript ?? "",
    makeUpPending: false,
    failurePercent: 0,
  };
  putConfig(world, tenant, config);
  schedule(world, config, now);
  return config;
}

/** Replaces a configuration's fields (same agent, same schedule id) and schedules it again. */
export function updateConfig(world: World, tenant: Tenant, id: number, body: RequestBody<"updateBackupConfiguration">, now: number): void {
  const config = liveConfigOf(tenant, id);
  if (body.MachineAgentId !== config.agentId) {
    throw badField("/MachineAgentId", `must be the configuration's agent (${config.agentId}); use migrateVault to move configurations`);
  }
  if (body.BackupConfigurationScheduleId !== undefined && body.BackupConfigurationScheduleId !== config.scheduleId) {
    throw badField("/BackupConfigurationScheduleId", `must be this configuration's schedule id (${config.scheduleId})`);
  }
  checkConfigBody(world, tenant, body, config.id);
  config.name = body.BackupConfigurationName;
  config.isActive = body.IsActive;
  config.versionRetention = body.VersionRetention;
  if (body.MissedBackupActionId !== undefined) config.missedBackupActionId = body.MissedBackupActionId;
  config.schedule = scheduleOf(body);
  config.anchor = now;
  config.notifyRecipients = body.NotifyRecipients;
  config.notifySuccess = body.NotifySuccess;
  config.notifyFailure = body.NotifyFailure;
  if (body.Inclusions !== undefined) config.inclusions = items(world, body.Inclusions);
  if (body.Exclusions !== undefined) config.exclusions = items(world, body.Exclusions);
  if (body.BackupPrescript !== undefined) config.prescript = body.BackupPrescript;
  if (body.BackupPostscript !== undefined) config.postscript = body.BackupPostscript;
  world.indexConfig(config);
  schedule(world, config, now);
}

/** Enables or disables a configuration (enabling anchors hourly schedules now). */
export function setConfigEnabled(world: World, config: BackupConfiguration, enable: boolean, now: number): void {
  config.isActive = enable;
  if (enable) config.anchor = now;
  schedule(world, config, now);
}

/** Marks a configuration deleted (it keeps its id and its backups) and unschedules it. */
export function deleteConfig(world: World, tenant: Tenant, id: number, now: number): void {
  const config = liveConfigOf(tenant, id, "already deleted");
  config.isDeleted = true;
  schedule(world, config, now);
}

/** The live (not deleted) configuration of an agent with this name, if any. */
export function configByName(tenant: Tenant, agentId: number, name: string): BackupConfiguration | undefined {
  const id = tenant.byName.get(`${agentId}\u0000${name}`);
  const config = id === undefined ? undefined : tenant.configs.get(id);
  return config && !config.isDeleted && config.agentId === agentId && config.name === name ? config : undefined;
}

/** Indexes a configuration by (agent, name) in its tenant (stale entries are checked on use). */
export function indexByName(tenant: Tenant, config: BackupConfiguration): void {
  tenant.byName.set(`${config.agentId}\u0000${config.name}`, config.id);
}

/** Recomputes the next run of a configuration and queues it. */
export function schedule(world: World, config: BackupConfiguration, now: number): void {
  const agent = world.tenants.get(config.tenantId)?.agents.get(config.agentId);
  if (!config.isActive || config.isDeleted || !agent || agent.deleted) {
    config.nextRun = null;
    return;
  }
  config.nextRun = nextRunAfter(config.schedule, now, config.anchor);
  if (config.nextRun !== null) world.queueRun(config.nextRun, config.id);
}

/** The next run after the one due at `at`, queued. */
export function scheduleAfter(world: World, config: BackupConfiguration, at: number): void {
  config.nextRun = nextRunAfter(config.schedule, at, config.anchor);
  if (config.nextRun !== null) world.queueRun(config.nextRun, config.id);
}

const echoes = new WeakMap<BackupConfiguration, { key: number; schedule: ScheduleInput; value: ReturnType<typeof utcEcho> }>();

/**
 * The schedule as the service echoes it (in UTC). It only changes when the next run
 * moves, so it is computed once per next-run time (once per hour for inactive ones).
 */
export function echo(world: World, config: BackupConfiguration, now: number): ReturnType<typeof utcEcho> {
  const key = config.nextRun !== null && config.nextRun > now ? config.nextRun : -Math.floor(now / 3_600_000);
  // Only daily and weekly echoes depend on the time; one kept per hour changes on the hour.
  if (key < 0 && (config.schedule.Frequency === "Daily" || config.schedule.Frequency === "Weekly"))
    world.until((Math.floor(now / 3_600_000) + 1) * 3_600_000);
  const cached = echoes.get(config);
  if (cached && cached.key === key && cached.schedule === config.schedule) return cached.value;
  const value = utcEcho(config.schedule, now);
  echoes.set(config, { key, schedule: config.schedule, value });
  return value;
}
