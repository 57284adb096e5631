/**
 * Answers of the internal endpoints (`openapi/internal.yaml`), all derived from the simulated
 * world: log level, agent configuration, busy flag, log uploads, RSE events, cleanup reports.
 */
import type { InternalComponents } from "@cloud-backup/spec";
import { msDate, msDateOrNull } from "../clock.js";
import { notFound } from "../problem.js";
import { CLEANUP_ID_BASE } from "../resources/activity/views.js";
import { humanSize } from "../world/filetree.js";
import { type Agent, NEVER, TERMINAL_RESTORE, type Tenant, type World } from "../world/world.js";

type S = InternalComponents["schemas"];

/** Log levels by number, as `changeAgentLogLevel` sets them (cloudbackup's table). */
export const LOG_LEVEL_NAMES = ["Fatal", "Error", "Warn", "Info", "Debug", "Trace", "All"] as const;

/** An awake agent sends a Heartbeat this often (the configuration's Heartbeat.Interval.RealTime). */
export const HEARTBEAT_MS = 20_000;
/** An online agent uploads a requested log this long after the request (or after coming online). */
export const LOG_UPLOAD_MS = 10_000;

/** Log uploads asked for, kept on the agent (so they are in every snapshot with it). */
type AgentWithLogs = Agent & { logRequests?: number[] };

export interface InternalContext {
  world: World;
  tenant: Tenant;
  params: Record<string, unknown>;
  now: number;
}

export type InternalReply = { status: 200; body: unknown };

function agentOf(tenant: Tenant, id: unknown): AgentWithLogs {
  const agent = tenant.agents.get(id as number);
  if (!agent || agent.deleted) throw notFound(`Agent ${String(id)}`);
  return agent;
}

const levelName = (level: number): S["LogLevelName"] => LOG_LEVEL_NAMES[Math.min(7, Math.max(1, level)) - 1]!;

const vaultUri = (agent: Agent) => `rax://cloudfiles/${agent.backupDatacenter}/z_DO_NOT_DELETE_CloudBackup_v2_0_${agent.vaultId}`;

/** "h:mm AM" in UTC to "HH:MM". */
function timeOfDay(hour: number | null, minute: number | null, ampm: string | null): string | null {
  if (hour === null || minute === null || (ampm !== "AM" && ampm !== "PM")) return null;
  const h = (hour % 12) + (ampm === "PM" ? 12 : 0);
  return `${String(h).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
}

/** When the agent's log request `n` (1-based) was uploaded, or NEVER while it waits. */
function uploadedAt(world: World, agent: AgentWithLogs, requestedAt: number, now: number): number {
  if (agent.onlineFrom === NEVER || agent.deleted) return NEVER;
  const from = Math.max(requestedAt, agent.onlineFrom);
  const at = from + LOG_UPLOAD_MS;
  return at <= now && world.isOnline(agent, Math.min(now, at)) ? at : NEVER;
}

/** The time of the agent's latest Heartbeat at `now`, or undefined when it was never online. */
function lastHeartbeat(world: World, agent: Agent, now: number): number | undefined {
  if (agent.onlineFrom === NEVER || agent.onlineFrom > now) return undefined;
  // Heartbeats run from when the agent came online until it went idle (or now).
  const until = world.isOnline(agent, now) ? now : Math.min(now, agent.lastActivity + 30 * 60_000);
  if (until < agent.onlineFrom) return undefined;
  return agent.onlineFrom + Math.floor((until - agent.onlineFrom) / HEARTBEAT_MS) * HEARTBEAT_MS;
}

export const internalHandlers = {
  getAgentLogLevel({ tenant, params }: InternalContext): InternalReply {
    return { status: 200, body: levelName(agentOf(tenant, params.machineAgentId).logLevel) };
  },

  getAgentConfiguration({ world, tenant, params, now }: InternalContext): InternalReply {
    const agent = agentOf(tenant, params.machineAgentId);
    const timings = (idle: number, active: number, realTime: number) => ({ Idle: idle, Active: active, RealTime: realTime });
    const configurations: S["AgentConfiguration"]["BackupConfigurations"] = [];
    for (const config of tenant.configs.values()) {
      if (config.agentId !== agent.id || config.isDeleted) continue;
      const echo = world.echo(config, now);
      const items = (list: typeof config.inclusions) =>
        list.map((i) => ({ Pattern: i.FilePath, Type: i.FileItemType, Module: "Autoselect", Args: "" }));
      configurations.push({
        Id: config.id,
        Name: config.name,
        IsEnabled: config.isActive,
        VolumeUri: vaultUri(agent),
        DaysToKeepOldFileVersions: config.versionRetention,
        KeepOldFileVersionsIndefinitely: config.versionRetention === 0,
        BackupPrescript: config.prescript,
        BackupPostscript: config.postscript,
        Schedules: [
          {
            Frequency: config.schedule.Frequency,
            TimeOfDay: timeOfDay(echo.StartTimeHour, echo.StartTimeMinute, echo.StartTimeAmPm),
            DayOfWeek: echo.DayOfWeekId,
            HourlyInterval: config.schedule.HourInterval,
            InitialScheduledTime: msDateOrNull(config.nextRun),
          },
        ],
        Inclusions: items(config.inclusions),
        Exclusions: items(config.exclusions),
      });
    }
    const body: S["AgentConfiguration"] = {
      SystemPreferences: {
        AutoUpdate: { Enabled: true, LatestVersion: agent.agentVersion },
        Environment: { MinimumDiskSpaceMb: { Backup: 512, Restore: 512, Cleanup: 512 } },
        Logging: { Level: levelName(agent.logLevel) },
        Rse: {
          Channel: `/495/${agent.vaultId}`,
          HostName: "rse.drivesrvr.com",
          Polling: { Interval: timings(30_000, 2_000, 1_000), Timeout: timings(60_000, 10_000, 5_000) },
          Heartbeat: { Interval: timings(300_000, 60_000, HEARTBEAT_MS), Timeout: timings(600_000, 120_000, 75_000) },
        },
      },
      UserPreferences: {
        CacheDirectory: agent.windows ? "C:\\ProgramData\\Driveclient\\cache" : "/var/cache/driveclient",
        ThrottleBandwidth: null,
      },
      Volumes: [
        {
          Uri: vaultUri(agent),
          FailoverUri: vaultUri(agent),
          EncryptionEnabled: agent.isEncrypted,
          Password: null,
          NetworkDrives: [],
          BackupVaultId: agent.vaultId,
        },
      ],
      BackupConfigurations: configurations,
    };
    return { status: 200, body };
  },

  getAgentBusy({ world, tenant, params, now }: InternalContext): InternalReply {
    const agent = agentOf(tenant, params.machineAgentId);
    for (const b of tenant.backups.values()) {
      if (b.agentId === agent.id && b.startedAt <= now && !world.isTerminalBackup(world.backupState(b, now).state))
        return { status: 200, body: true };
    }
    for (const r of tenant.restores.values()) {
      if (r.destinationAgentId !== agent.id) continue;
      const state = world.restoreState(r, now).state;
      if (state !== 0 && !TERMINAL_RESTORE.has(state)) return { status: 200, body: true };
    }
    return { status: 200, body: false };
  },

  requestAgentLog({ tenant, params, now }: InternalContext): InternalReply {
    const agent = agentOf(tenant, params.machineAgentId);
    agent.logRequests = [...(agent.logRequests ?? []), now];
    return { status: 200, body: agent.logRequests.length };
  },

  listAgentLogFiles({ world, tenant, params, now }: InternalContext): InternalReply {
    const agent = agentOf(tenant, params.machineAgentId);
    const files: S["AgentLogFile"][] = (agent.logRequests ?? []).map((requestedAt, i) => {
      const done = uploadedAt(world, agent, requestedAt, now) !== NEVER;
      return {
        DisplayName: new Date(requestedAt)
          .toISOString()
          .replace("T", " ")
          .replace(/\.\d+Z$/, " UTC"),
        CurrentState: done ? "Completed" : "Requested",
        FilePath: done
          ? `https://storage101.${agent.backupDatacenter.toLowerCase()}1.clouddrive.com/v1/MossoCloudFS_${tenant.id}/z_DO_NOT_DELETE_CloudBackup_v2_0_${agent.vaultId}/logs/${agent.id}-${i + 1}.log`
          : null,
      };
    });
    return { status: 200, body: files };
  },

  listAgentEvents({ world, tenant, params, now }: InternalContext): InternalReply {
    const agent = agentOf(tenant, params.machineAgentId);
    const at = lastHeartbeat(world, agent, now);
    const events: S["AgentEvent"][] =
      at === undefined ? [] : [{ data: { Event: "Heartbeat", MachineAgentId: agent.id }, age: Math.floor((now - at) / 1000) }];
    return { status: 200, body: events };
  },

  getCleanupReport({ world, tenant, params, now }: InternalContext): InternalReply {
    const id = params.cleanupId as number;
    const backup = tenant.backups.get(id - CLEANUP_ID_BASE);
    const expiresAt = backup ? world.expiryTime(tenant, backup, now) : null;
    if (!backup || expiresAt === null) throw notFound(`Cleanup ${id}`);
    const agent = tenant.agents.get(backup.agentId);
    const body: S["CleanupReport"] = {
      CleanupId: id,
      MachineAgentId: backup.agentId,
      MachineName: agent?.name ?? backup.machineName,
      BackupConfigurationId: backup.configId,
      BackupConfigurationName: backup.configName,
      BackupId: backup.id,
      State: "Completed",
      StartTime: msDate(expiresAt),
      CompletedTime: msDate(expiresAt),
      FilesRemoved: backup.filesBackedUp,
      BytesRemoved: humanSize(backup.bytesBackedUp),
      ErrorList: [],
    };
    return { status: 200, body };
  },
} satisfies Record<string, (ctx: InternalContext) => InternalReply>;

export type InternalOperationName = keyof typeof internalHandlers;
