/**
 * What `cloudBackupHandlers()` answers, and where: every operation in both path forms on every
 * default host, Identity with a catalog of the real hosts, other base URLs, the clock, reset.
 */
import { operations } from "@cloud-backup/spec";
import { describe, expect, it } from "vitest";
import { DEFAULT_PARAMS, fillPath } from "../../server/test/helpers.js";
import { DEFAULT_BASE_URLS, DEFAULT_IDENTITY_URL, GLOBAL_BASE_URL, REGIONS } from "../src/index.js";
import { DEMO, useCloudBackup, WEB2 } from "./helpers.js";

const { handlers, settled } = useCloudBackup();
const json = (body: unknown) => ({ method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
const authenticate = (url = DEFAULT_IDENTITY_URL) =>
  fetch(`${url}/v2.0/tokens`, json({ auth: { "RAX-KSKEY:apiKeyCredentials": { username: DEMO.username, apiKey: DEMO.apiKey } } }));

describe("cloudBackupHandlers()", () => {
  it("answers every operation, in both path forms, on every regional and the global host", async () => {
    expect(DEFAULT_BASE_URLS).toEqual([
      "https://dfw.backup.api.rackspacecloud.com",
      "https://ord.backup.api.rackspacecloud.com",
      "https://iad.backup.api.rackspacecloud.com",
      "https://lon.backup.api.rackspacecloud.com",
      "https://hkg.backup.api.rackspacecloud.com",
      "https://syd.backup.api.rackspacecloud.com",
      GLOBAL_BASE_URL,
    ]);
    expect(operations).toHaveLength(33);
    const seen: string[] = [];
    for (const base of DEFAULT_BASE_URLS) {
      for (const op of operations) {
        for (const template of [op.path, op.path.replace("/{tenant_id}", "")]) {
          const url = `${base}${fillPath(template, DEFAULT_PARAMS)}`;
          // Reads with the demo token; writes without a token, so that they change nothing (the operation answers 401; an unrouted path would answer 404).
          const read = op.method === "GET";
          const res = await fetch(url, { method: op.method, headers: read ? { "X-Auth-Token": DEMO.token } : {} });
          const text = await res.text();
          expect(res.status, `${op.method} ${url}: ${text.slice(0, 200)}`).toBe(read ? 200 : 401);
          seen.push(`${op.operationId} ${template === op.path ? "tenant" : "short"}`);
        }
      }
    }
    expect(new Set(seen).size).toBe(66);
    expect((await settled()).length).toBe(DEFAULT_BASE_URLS.length * 66);
  });

  it("answers Identity with a catalog that lists the real regional and global hosts", async () => {
    const res = await authenticate();
    expect(res.status).toBe(200);
    const { access } = (await res.json()) as { access: any };
    const backup = access.serviceCatalog.find((s: any) => s.type === "rax:backup");
    expect(backup.endpoints).toEqual([
      ...REGIONS.map((r) => ({
        region: r.toUpperCase(),
        tenantId: DEMO.tenantId,
        publicURL: `https://${r}.backup.api.rackspacecloud.com/v1.0/${DEMO.tenantId}`,
      })),
      { tenantId: DEMO.tenantId, publicURL: `${GLOBAL_BASE_URL}/v1.0/${DEMO.tenantId}` },
    ]);
    // The token it issued works on every host, from the same world.
    for (const base of DEFAULT_BASE_URLS) {
      const agents = await fetch(`${base}/v1.0/${DEMO.tenantId}/user/agents`, { headers: { "X-Auth-Token": access.token.id } });
      expect(agents.status).toBe(200);
    }
    // Wrong credentials: Identity's 401.
    const refused = await fetch(
      `${DEFAULT_IDENTITY_URL}/v2.0/tokens`,
      json({ auth: { passwordCredentials: { username: DEMO.username, password: "wrong" } } }),
    );
    expect(refused.status).toBe(401);
  });

  it("keeps one world for all hosts: what one host creates, another reads", async () => {
    const created = await fetch(`https://lon.backup.api.rackspacecloud.com/v1.0/${DEMO.tenantId}/backup-configuration`, {
      ...json({
        MachineAgentId: WEB2,
        BackupConfigurationName: "Across hosts",
        IsActive: true,
        VersionRetention: 30,
        MissedBackupActionId: 1,
        Frequency: "Manually",
        StartTimeHour: null,
        StartTimeMinute: null,
        StartTimeAmPm: null,
        DayOfWeekId: null,
        HourInterval: null,
        TimeZoneId: "Eastern Standard Time",
        NotifyRecipients: "ops@example.com",
        NotifySuccess: false,
        NotifyFailure: true,
        Inclusions: [{ FilePath: "/etc", FileItemType: "Folder" }],
      }),
      headers: { "Content-Type": "application/json", "X-Auth-Token": DEMO.token },
    });
    expect(created.status).toBe(200);
    const { BackupConfigurationId: id } = (await created.json()) as { BackupConfigurationId: number };
    const read = await fetch(`${GLOBAL_BASE_URL}/v1.0/backup-configuration/${id}`, { headers: { "X-Auth-Token": DEMO.token } });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { BackupConfigurationName: string }).BackupConfigurationName).toBe("Across hosts");
    expect(handlers.world.tenants.get(DEMO.tenantId)!.configs.get(id)?.name).toBe("Across hosts");
  });

  it("answers the control API on the API hosts, and moves one clock with it or with handlers.clock", async () => {
    const start = handlers.clock.now();
    expect(handlers.clock.speed).toBe(0); // frozen by default
    const before = (await (await fetch(`https://dfw.backup.api.rackspacecloud.com/__admin/clock`)).json()) as { now: number };
    expect(before.now).toBe(start);
    const advanced = await fetch(`https://ord.backup.api.rackspacecloud.com/__admin/clock/advance`, json({ seconds: 60 }));
    expect(((await advanced.json()) as { now: number }).now).toBe(start + 60_000);
    expect(handlers.clock.advance(3600)).toBe(start + 3_660_000);
    const after = (await (await fetch(`${GLOBAL_BASE_URL}/__admin/clock`)).json()) as { now: number; speed: number };
    expect(after).toMatchObject({ now: start + 3_660_000, speed: 0 });
    expect(() => handlers.clock.advance(-1)).toThrow(RangeError);
    expect(() => handlers.clock.advance(Number.NaN)).toThrow(RangeError);
  });

  it("reset() puts back the seed world and the clock's start, and forgets issued tokens", async () => {
    const start = handlers.clock.now();
    const issued = ((await (await authenticate()).json()) as { access: { token: { id: string } } }).access.token.id;
    const agentUrl = `https://dfw.backup.api.rackspacecloud.com/v1.0/agent/${WEB2}`;
    const del = await fetch(`https://dfw.backup.api.rackspacecloud.com/v1.0/agent/delete`, {
      ...json({ MachineAgentId: WEB2 }),
      headers: { "Content-Type": "application/json", "X-Auth-Token": DEMO.token },
    });
    expect(del.status).toBe(204);
    expect((await fetch(agentUrl, { headers: { "X-Auth-Token": DEMO.token } })).status).toBe(404);
    handlers.clock.advance(120);
    handlers.reset();
    expect(handlers.clock.now()).toBe(start);
    expect((await fetch(agentUrl, { headers: { "X-Auth-Token": DEMO.token } })).status).toBe(200);
    const stale = await fetch(`https://dfw.backup.api.rackspacecloud.com/v1.0/user/agents`, { headers: { "X-Auth-Token": issued } });
    expect(stale.status).toBe(401);
  });

  it("does not answer the Identity host beyond POST /v2.0/tokens", () => {
    const identity = handlers.filter((h) => h.info.header.includes("identity.api.rackspacecloud.com"));
    expect(identity.map((h) => h.info.header)).toEqual([`POST ${DEFAULT_IDENTITY_URL}/v2.0/tokens`]);
    expect(handlers).toHaveLength(DEFAULT_BASE_URLS.length + 1);
  });
});
