import { type AgentInfo, configurationBody, uniqueName } from "../context.js";
import { type Answer, CheckFailure, expect, expectStatus } from "../http.js";
import { createConfiguration, differences, fileSet, idsOf, need, STABLE_CONFIGURATION_FIELDS } from "../steps.js";
import { type CapabilityModule, checks } from "./types.js";

/** What a create answer must echo as sent (times are converted to UTC, so they are left out). */
const ECHOED = [
  "MachineAgentId",
  "BackupConfigurationName",
  "IsActive",
  "VersionRetention",
  "MissedBackupActionId",
  "Frequency",
  "HourInterval",
  "TimeZoneId",
  "NotifyRecipients",
  "NotifySuccess",
  "NotifyFailure",
];

/** A weekly schedule at 7:30 PM Eastern on Fridays. */
function weekly(agent: AgentInfo, name: string) {
  return configurationBody(agent, name, {
    Frequency: "Weekly",
    StartTimeHour: 7,
    StartTimeMinute: 30,
    StartTimeAmPm: "PM",
    DayOfWeekId: 5,
    HourInterval: null,
  });
}

/** Invalid bodies, each with the field the problem must name. */
function invalidBodies(agent: AgentInfo): Array<{ what: string; body: Record<string, unknown>; field: string }> {
  const name = uniqueName("conformance invalid");
  return [
    { what: "VersionRetention 45 (allowed: 0, 30, 60)", body: weekly(agent, name), field: "VersionRetention" },
    { what: "Weekly without DayOfWeekId", body: { ...weekly(agent, name), DayOfWeekId: null }, field: "DayOfWeekId" },
    { what: "StartTimeHour 13 on a 12-hour clock", body: { ...weekly(agent, name), StartTimeHour: 13 }, field: "StartTimeHour" },
    { what: 'Frequency "Fortnightly"', body: { ...weekly(agent, name), Frequency: "Fortnightly" }, field: "Frequency" },
    { what: "no TimeZoneId", body: (({ TimeZoneId: _drop, ...rest }) => rest)(weekly(agent, name)), field: "TimeZoneId" },
    { what: 'IsActive "true" (a string)', body: { ...weekly(agent, name), IsActive: "true" }, field: "IsActive" },
  ].map((c) => (c.field === "VersionRetention" ? { ...c, body: { ...c.body, VersionRetention: 45 } } : c));
}

/** Whether a 400's problem names a field (in `errors[].pointer` / `name`, or in `detail`). */
function namesField(answer: Answer, field: string): boolean {
  const body = answer.body as any;
  const errors: any[] = Array.isArray(body?.errors) ? body.errors : [];
  return (
    errors.some((e) => String(e?.pointer ?? "").includes(field) || String(e?.name ?? "").includes(field)) ||
    String(body?.detail ?? "").includes(field)
  );
}

export const configurations: CapabilityModule = {
  capability: "backup-configurations",
  build() {
    const c = checks();
    let agent: AgentInfo | undefined;
    let sent: Record<string, unknown> | undefined;
    let created: any;

    c.add("creates a configuration and answers it as sent", async (ctx) => {
      const account = await ctx.account();
      [agent] = await ctx.usableAgents(account);
      sent = weekly(agent!, uniqueName("conformance weekly"));
      const { config, answer } = await createConfiguration(ctx, account, sent);
      created = config;
      const diffs = differences(sent, config, ECHOED);
      if (fileSet(sent.Inclusions).join("|") !== fileSet(config.Inclusions).join("|"))
        diffs.push(`Inclusions: sent ${fileSet(sent.Inclusions).join(", ")}, got ${fileSet(config.Inclusions).join(", ")}`);
      if (fileSet(sent.Exclusions).join("|") !== fileSet(config.Exclusions).join("|"))
        diffs.push(`Exclusions: sent ${fileSet(sent.Exclusions).join(", ")}, got ${fileSet(config.Exclusions).join(", ")}`);
      expect(config.IsDeleted === false, "a new configuration must not be IsDeleted", answer.exchange);
      // Eastern time is a whole number of hours from UTC, so the minute survives the conversion.
      expect(
        config.StartTimeMinute === 30,
        `StartTimeMinute: sent 30 (Eastern), got ${JSON.stringify(config.StartTimeMinute)}`,
        answer.exchange,
      );
      expect(!diffs.length, `createBackupConfiguration did not answer what was sent: ${diffs.join("; ")}`, answer.exchange);
    });

    c.add("reads the configuration back as created", async (ctx) => {
      const account = await ctx.account();
      const config = need(created, "a created configuration");
      const res = await account.api.call("GET", ctx.path(account, `/backup-configuration/${config.BackupConfigurationId}`));
      expectStatus(res, 200, "getBackupConfiguration");
      const diffs = differences(config, res.body, STABLE_CONFIGURATION_FIELDS);
      expect(!diffs.length, `getBackupConfiguration differs from the create answer: ${diffs.join("; ")}`, res.exchange);
    });

    c.add("lists include the created configuration", async (ctx) => {
      const account = await ctx.account();
      const config = need(created, "a created configuration");
      const all = await account.api.call("GET", ctx.path(account, "/backup-configuration"));
      expectStatus(all, 200, "listBackupConfigurations");
      expect(
        idsOf(all.body, "BackupConfigurationId").includes(config.BackupConfigurationId),
        `listBackupConfigurations does not include configuration ${config.BackupConfigurationId}`,
        all.exchange,
      );
      const mine = await account.api.call("GET", ctx.path(account, `/backup-configuration/system/${config.MachineAgentId}`));
      expectStatus(mine, 200, "listAgentBackupConfigurations");
      expect(
        idsOf(mine.body, "BackupConfigurationId").includes(config.BackupConfigurationId),
        `listAgentBackupConfigurations ${config.MachineAgentId} does not include configuration ${config.BackupConfigurationId}`,
        mine.exchange,
      );
      const others = (mine.body as any[]).filter((x) => x?.MachineAgentId !== config.MachineAgentId);
      expect(
        !others.length,
        `listAgentBackupConfigurations ${config.MachineAgentId} lists other agents' configurations (${idsOf(others, "BackupConfigurationId").join(", ")})`,
        mine.exchange,
      );
    });

    c.add("updates a configuration and reads the change back", async (ctx) => {
      const account = await ctx.account();
      const config = need(created, "a created configuration");
      const body = configurationBody(need(agent, "an agent"), `${String(sent!.BackupConfigurationName)} (daily)`, {
        Frequency: "Daily",
        StartTimeHour: 2,
        StartTimeMinute: 15,
        StartTimeAmPm: "AM",
        VersionRetention: 60,
        NotifySuccess: true,
        Inclusions: sent!.Inclusions,
        Exclusions: [],
      });
      const res = await account.api.call("PUT", ctx.path(account, `/backup-configuration/${config.BackupConfigurationId}`), { body });
      expectStatus(res, 200, "updateBackupConfiguration");
      const read = await account.api.call("GET", ctx.path(account, `/backup-configuration/${config.BackupConfigurationId}`));
      expectStatus(read, 200, "getBackupConfiguration");
      const diffs = differences(body, read.body, [
        "BackupConfigurationName",
        "Frequency",
        "VersionRetention",
        "NotifySuccess",
        "DayOfWeekId",
        "HourInterval",
      ]);
      if (fileSet((read.body as any).Exclusions).length)
        diffs.push(`Exclusions: sent [], got ${fileSet((read.body as any).Exclusions).join(", ")}`);
      expect(!diffs.length, `the update did not take: ${diffs.join("; ")}`, read.exchange);
      created = read.body;
    });

    c.add("disables and enables a configuration", async (ctx) => {
      const account = await ctx.account();
      const config = need(created, "a created configuration");
      const off = await account.api.call("POST", ctx.path(account, `/backup-configuration/enable/${config.BackupConfigurationId}`), {
        body: { Enable: false },
      });
      expectStatus(off, 200, "enableBackupConfiguration Enable false");
      const next = (off.body as any)?.NextScheduledRunTime;
      expect((off.body as any)?.IsActive === false, "a disabled configuration must answer IsActive false", off.exchange);
      expect(
        next === null || /^\/Date\(-/.test(String(next)),
        `a disabled configuration has no next run, but NextScheduledRunTime is ${JSON.stringify(next)}`,
        off.exchange,
      );
      const read = await account.api.call("GET", ctx.path(account, `/backup-configuration/${config.BackupConfigurationId}`));
      expect((read.body as any)?.IsActive === false, "getBackupConfiguration still shows IsActive true after disabling", read.exchange);
      const on = await account.api.call("POST", ctx.path(account, `/backup-configuration/enable/${config.BackupConfigurationId}`), {
        body: { Enable: true },
      });
      expectStatus(on, 200, "enableBackupConfiguration Enable true");
      expect((on.body as any)?.IsActive === true, "an enabled configuration must answer IsActive true", on.exchange);
      expect(
        /^\/Date\(\d+/.test(String((on.body as any)?.NextScheduledRunTime)),
        `an enabled daily configuration must have a next run, got ${JSON.stringify((on.body as any)?.NextScheduledRunTime)}`,
        on.exchange,
      );
    });

    c.add("rejects invalid configurations with 400 naming the field", async (ctx) => {
      const account = await ctx.account();
      const a = need(agent, "an agent");
      for (const invalid of invalidBodies(a)) {
        const res = await account.api.call("POST", ctx.path(account, "/backup-configuration"), { body: invalid.body });
        expectStatus(res, 400, `createBackupConfiguration with ${invalid.what}`);
        expect(namesField(res, invalid.field), `the 400 for ${invalid.what} does not name ${invalid.field} in its errors`, res.exchange);
      }
    });

    c.add("a rejected create changes nothing", async (ctx) => {
      const account = await ctx.account();
      const a = need(agent, "an agent");
      const before = await account.api.call("GET", ctx.path(account, "/backup-configuration"));
      expectStatus(before, 200, "listBackupConfigurations");
      const name = uniqueName("conformance rejected");
      const res = await account.api.call("POST", ctx.path(account, "/backup-configuration"), {
        body: { ...weekly(a, name), VersionRetention: 45 },
      });
      expectStatus(res, 400, "createBackupConfiguration with VersionRetention 45");
      const after = await account.api.call("GET", ctx.path(account, "/backup-configuration"));
      expectStatus(after, 200, "listBackupConfigurations");
      const was = idsOf(before.body, "BackupConfigurationId");
      const added = (after.body as any[]).filter((x) => !was.includes(x?.BackupConfigurationId));
      if (added.length) {
        throw new CheckFailure(
          `createBackupConfiguration answered 400 but the list gained ${added.map((x) => `${x.BackupConfigurationId} "${x.BackupConfigurationName}"`).join(", ")}`,
          res.exchange,
        );
      }
    });

    c.add("a rejected update changes nothing", async (ctx) => {
      const account = await ctx.account();
      const config = need(created, "a created configuration");
      const before = await account.api.call("GET", ctx.path(account, `/backup-configuration/${config.BackupConfigurationId}`));
      const body = { ...weekly(need(agent, "an agent"), "conformance renamed by a rejected update"), DayOfWeekId: 9 };
      const res = await account.api.call("PUT", ctx.path(account, `/backup-configuration/${config.BackupConfigurationId}`), { body });
      expectStatus(res, 400, "updateBackupConfiguration with DayOfWeekId 9");
      const after = await account.api.call("GET", ctx.path(account, `/backup-configuration/${config.BackupConfigurationId}`));
      const diffs = differences(before.body, after.body, STABLE_CONFIGURATION_FIELDS);
      expect(!diffs.length, `a rejected update changed configuration ${config.BackupConfigurationId}: ${diffs.join("; ")}`, after.exchange);
    });

    c.add("deletes a configuration and the lists drop it", async (ctx) => {
      const account = await ctx.account();
      const config = need(created, "a created configuration");
      const id = config.BackupConfigurationId;
      const res = await account.api.call("DELETE", ctx.path(account, `/backup-configuration/${id}`));
      expectStatus(res, 200, "deleteBackupConfiguration");
      const read = await account.api.call("GET", ctx.path(account, `/backup-configuration/${id}`));
      expectStatus(read, [200, 404], "getBackupConfiguration of a deleted configuration");
      if (read.status === 200)
        expect(
          (read.body as any)?.IsDeleted === true,
          `deleted configuration ${id} reads back with IsDeleted ${JSON.stringify((read.body as any)?.IsDeleted)}`,
          read.exchange,
        );
      for (const [what, path] of [
        ["listBackupConfigurations", "/backup-configuration"],
        ["listAgentBackupConfigurations", `/backup-configuration/system/${config.MachineAgentId}`],
      ] as const) {
        const list = await account.api.call("GET", ctx.path(account, path));
        expectStatus(list, 200, what);
        const entry = (list.body as any[]).find((x) => x?.BackupConfigurationId === id);
        expect(!entry || entry.IsDeleted === true, `${what} still lists deleted configuration ${id} as not deleted`, list.exchange);
      }
      const update = await account.api.call("PUT", ctx.path(account, `/backup-configuration/${id}`), {
        body: weekly(need(agent, "an agent"), "conformance update after delete"),
      });
      expect(
        update.status >= 400 && update.status < 500,
        `updateBackupConfiguration of deleted configuration ${id} answered ${update.status}; a deleted configuration cannot be updated`,
        update.exchange,
      );
    });

    return c.list;
  },
};
