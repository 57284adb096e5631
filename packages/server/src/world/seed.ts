import type { Agent, BackupConfiguration, Role, Tenant, World } from "./world.js";
import { RESTORE_ID } from "./states.js";
import { putConfig } from "../resources/backup-configurations/model.js";
import { putRestore } from "../resources/restore-configurations/model.js";

import { loadSeed, type WorldSeed } from "./seed-format.js";

export type { WorldSeed } from "./seed-format.js";

export type SeedOptions = "default" | "empty" | WorldSeed;

/** The demo account: tenant, tokens and Identity credentials (documented in the README). */
export const DEMO = {
  tenantId: "1234",
  token: "demo-token",
  creatorToken: "demo-creator-token",
  observerToken: "demo-observer-token",
  username: "demo",
  apiKey: "demo-api-key",
  password: "demo-password",
  passphrase: "demo-passphrase",
} as const;

const DAY = 86_400_000;

export function seedWorld(world: World, seed: SeedOptions, now: number): void {
  if (seed === "empty") return;
  if (seed === "default") return seedDefault(world, now);
  loadSeed(world, seed, now);
}

/** What POST /__admin/tenants decided: replaying it rebuilds the same tenant. */
export interface TenantSpec {
  tenantId: string;
  agents: number;
  tokens: Record<string, string>;
  username: string;
  apiKey: string;
  password: string;
}

/** Creates a tenant with online demo agents, tokens and an Identity user. */
export function applyTenant(world: World, spec: TenantSpec, now: number): Agent[] {
  const tenant = world.createTenant(spec.tenantId);
  const agents = addDemoAgents(world, tenant, spec.agents, now);
  const roles = Object.keys(spec.tokens) as Role[];
  for (const role of roles) world.tokens.set(spec.tokens[role]!, { tenantId: spec.tenantId, role });
  world.users.set(spec.username, {
    username: spec.username,
    apiKey: spec.apiKey,
    password: spec.password,
    tenantId: spec.tenantId,
    role: roles[0] ?? "cloudBackup:admin",
  });
  return agents;
}

/** Adds `count` online agents (Linux and Windows in turn) with seeded file trees. */
export function addDemoAgents(world: World, tenant: Tenant, count: number, now: number): Agent[] {
  const agents: Agent[] = [];
  for (let i = 0; i < count; i++) {
    const windows = i % 2 === 1;
    agents.push(
      world.addAgent(
        tenant,
        { name: windows ? `win-${i + 1}` : `web-${i + 1}`, os: windows ? "Windows Server 2019" : "Ubuntu", windows, datacenter: "DFW" },
        now,
      ),
    );
  }
  return agents;
}

function config(
  world: World,
  tenant: Tenant,
  agent: Agent,
  fields: Partial<BackupConfiguration> & Pick<BackupConfiguration, "name" | "schedule">,
  at: number,
): BackupConfiguration {
  const c: BackupConfiguration = {
    id: world.newConfigId(),
    tenantId: tenant.id,
    agentId: agent.id,
    scheduleId: world.newScheduleId(),
    isActive: true,
    isDeleted: false,
    versionRetention: 30,
    missedBackupActionId: 1,
    anchor: at,
    nextRun: null,
    lastRunTime: null,
    lastBackupId: null,
    notifyRecipients: "webmaster@example.com",
    notifySuccess: false,
    notifyFailure: true,
    inclusions: [],
    exclusions: [],
    prescript: "",
    postscript: "",
    makeUpPending: false,
    failurePercent: 0,
    ...fields,
  };
  putConfig(world, tenant, c);
  world.schedule(c, at);
  return c;
}

function seedDefault(world: World, now: number): void {
  const start = now - 15 * DAY;
  const tenant = world.createTenant(DEMO.tenantId);
  world.tokens.set(DEMO.token, { tenantId: tenant.id, role: "cloudBackup:admin" });
  world.tokens.set(DEMO.creatorToken, { tenantId: tenant.id, role: "cloudBackup:creator" });
  world.tokens.set(DEMO.observerToken, { tenantId: tenant.id, role: "cloudBackup:observer" });
  world.users.set(DEMO.username, {
    username: DEMO.username,
    apiKey: DEMO.apiKey,
    password: DEMO.password,
    tenantId: tenant.id,
    role: "cloudBackup:admin",
  });

  const web = world.addAgent(
    tenant,
    {
      id: 213564,
      name: "Web Server",
      os: "Windows Server 2012",
      windows: true,
      datacenter: "DFW",
      ip: "192.168.1.1",
      hostServerId: "87c3b6e1-fb1a-41f9-91e5-313ae35a5a06",
    },
    start,
  );
  world.addAgent(
    tenant,
    {
      id: 213563,
      name: "Web Server2",
      os: "Windows Server 2012",
      windows: true,
      datacenter: "DFW",
      ip: "192.168.1.3",
      hostServerId: "5f0c2a4e-8b7d-4c1e-9a36-2d4b6e8f0a13",
      online: false,
    },
    start,
  );
  const linux = world.addAgent(
    tenant,
    {
      id: 202743,
      name: "web2",
      os: "Ubuntu",
      windows: false,
      datacenter: "DFW",
      ip: "192.168.1.7",
      hostServerId: "0b7e6c2d-3f1a-4e58-9c47-6a2d8e1f5b90",
    },
    start,
  );
  const db = world.addAgent(
    tenant,
    {
      id: 95874,
      name: "Database Server",
      os: "Windows Server 2012",
      windows: true,
      datacenter: "ORD",
      ip: "192.168.2.10",
      hostServerId: "c41d7e9a-2b6f-4a83-8e15-7f9b3c0d2e64",
    },
    start,
  );

  // The database server is encrypted with the demo passphrase.
  db.isEncrypted = true;
  db.passphrase = DEMO.passphrase;

  const schedule = (fields: Partial<BackupConfiguration["schedule"]> & Pick<BackupConfiguration["schedule"], "Frequency">) => ({
    StartTimeHour: null,
    StartTimeMinute: null,
    StartTimeAmPm: null,
    DayOfWeekId: null,
    HourInterval: null,
    TimeZoneId: "Eastern Standard Time",
    ...fields,
  });
  let fileId = 0;
  const item = (path: string, type: "File" | "Folder" = "Folder") => ({
    FileId: world.newFileId() + 0 * fileId++,
    FilePath: path,
    FileItemType: type,
  });

  config(
    world,
    tenant,
    linux,
    {
      name: "Weekly Website Backup",
      schedule: schedule({ Frequency: "Weekly", StartTimeHour: 7, StartTimeMinute: 30, StartTimeAmPm: "PM", DayOfWeekId: 5 }),
      inclusions: [item("/var/www/html"), item("/etc")],
      exclusions: [item("/var/www/html/uploads")],
    },
    start,
  );
  config(
    world,
    tenant,
    db,
    {
      name: "Database Server Backup",
      schedule: schedule({ Frequency: "Daily", StartTimeHour: 2, StartTimeMinute: 0, StartTimeAmPm: "AM" }),
      inclusions: [item("C:\\Program Files\\Microsoft SQL Server\\MSSQL\\DATA")],
      versionRetention: 30,
    },
    start,
  );
  const manual = config(
    world,
    tenant,
    web,
    {
      name: "Manual Website Backup",
      schedule: schedule({ Frequency: "Manually" }),
      inclusions: [item("C:\\Websites")],
      exclusions: [item("C:\\Websites\\Logs")],
      versionRetention: 60,
    },
    start,
  );

  // Two weeks of scheduled runs, a manual run two days ago and a restore of it yesterday.
  world.catchUp(now - 2 * DAY);
  const backup = world.startBackup(tenant, manual, now - 2 * DAY, false);
  world.catchUp(now - DAY);
  const restore = {
    id: world.newRestoreId(),
    tenantId: tenant.id,
    backupId: backup.id,
    backupAgentId: web.id,
    destinationAgentId: web.id,
    destinationPath: "C:\\Restored",
    overwrite: false,
    backupDatacenter: web.backupDatacenter,
    createdAt: now - DAY,
    timeline: [{ state: RESTORE_ID.Creating, at: now - DAY }],
    files: [],
    encryptedPassword: null,
    filesRestored: 0,
    bytesRestored: 0,
    errors: [],
  };
  putRestore(tenant, restore);
  world.startRestore(tenant, restore, now - DAY + 60_000);
  world.catchUp(now);
  for (const agent of tenant.agents.values()) {
    if (agent.id !== 213563) {
      agent.onlineFrom = Math.min(agent.onlineFrom, now);
      agent.lastActivity = now;
    }
  }
}
