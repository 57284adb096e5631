import { configurationBody, uniqueName } from "../context.js";
import { CheckFailure, CheckSkipped, expect, expectStatus } from "../http.js";
import { createConfiguration, idsOf } from "../steps.js";
import { type CapabilityModule, checks } from "./types.js";

/** Statuses that reveal nothing: refused (401, 403) or not found (404). */
const REFUSED = [401, 403, 404];

export const auth: CapabilityModule = {
  capability: "auth",
  build() {
    const c = checks();

    c.add("the given token lists the given tenant's agents", async (ctx) => {
      const res = await ctx.given.api.call("GET", ctx.path(ctx.given, "/user/agents"));
      expectStatus(res, 200, `listAgents for tenant ${ctx.given.tenantId} with the given token`);
    });

    c.add("a request without X-Auth-Token answers 401 with a problem body", async (ctx) => {
      const res = await ctx.client(null).call("GET", ctx.path(ctx.given, "/user/agents"));
      expectStatus(res, 401, "listAgents without a token");
      expect(res.text.length > 0, "a 401 must explain itself in a problem body", res.exchange);
    });

    c.add("an unknown token answers 401", async (ctx) => {
      const res = await ctx.client(`conformance-unknown-${Date.now()}`).call("GET", ctx.path(ctx.given, "/user/agents"));
      expectStatus(res, 401, "listAgents with an unknown token");
    });

    c.add("an unknown token cannot write", async (ctx) => {
      const before = await ctx.given.api.call("GET", ctx.path(ctx.given, "/backup-configuration"));
      expectStatus(before, 200, "listBackupConfigurations");
      const agents = await ctx.agents(ctx.given);
      const agent = agents[0];
      if (!agent) throw new CheckSkipped(`tenant ${ctx.given.tenantId} has no agent to name in the request`);
      const res = await ctx.client(`conformance-unknown-${Date.now()}`).call("POST", ctx.path(ctx.given, "/backup-configuration"), {
        body: configurationBody(agent, uniqueName("conformance unauthorised")),
      });
      expectStatus(res, 401, "createBackupConfiguration with an unknown token");
      const after = await ctx.given.api.call("GET", ctx.path(ctx.given, "/backup-configuration"));
      const added = idsOf(after.body, "BackupConfigurationId").filter((id) => !idsOf(before.body, "BackupConfigurationId").includes(id));
      expect(added.length === 0, `a create refused with 401 still created configuration(s) ${added.join(", ")}`, after.exchange);
    });

    c.add("a token cannot use another tenant's path", async (ctx) => {
      if (!ctx.control) throw new CheckSkipped("needs --admin-url to create a second tenant");
      const other = await ctx.newTenant({ agents: 1 });
      const res = await ctx.given.api.call("GET", ctx.path(other, "/user/agents"));
      expect(
        REFUSED.includes(res.status),
        `listAgents of tenant ${other.tenantId} with tenant ${ctx.given.tenantId}'s token answered ${res.status}; expected 401, 403 or 404`,
        res.exchange,
      );
      const [theirAgent] = await ctx.agents(other);
      if (!theirAgent) throw new CheckFailure(`the new tenant ${other.tenantId} has no agent`);
      const agent = await ctx.given.api.call("GET", ctx.path(other, `/agent/${theirAgent.id}`));
      expect(
        REFUSED.includes(agent.status),
        `getAgent ${theirAgent.id} of tenant ${other.tenantId} with another tenant's token answered ${agent.status}`,
        agent.exchange,
      );
    });

    c.add("one tenant never sees another tenant's resources", async (ctx) => {
      if (!ctx.control) throw new CheckSkipped("needs --admin-url to create a second tenant");
      const mine = await ctx.newTenant({ agents: 1 });
      const theirs = await ctx.newTenant({ agents: 1 });
      const [theirAgent] = await ctx.agents(theirs);
      expect(theirAgent, `the new tenant ${theirs.tenantId} has no agent`);
      const { config } = await createConfiguration(ctx, theirs, configurationBody(theirAgent, uniqueName("conformance private")));
      const id = config.BackupConfigurationId as number;

      const read = await mine.api.call("GET", ctx.path(mine, `/backup-configuration/${id}`));
      expect(
        REFUSED.includes(read.status),
        `tenant ${mine.tenantId} read tenant ${theirs.tenantId}'s configuration ${id} (answer ${read.status})`,
        read.exchange,
      );
      const agent = await mine.api.call("GET", ctx.path(mine, `/agent/${theirAgent.id}`));
      expect(
        REFUSED.includes(agent.status),
        `tenant ${mine.tenantId} read tenant ${theirs.tenantId}'s agent ${theirAgent.id} (answer ${agent.status})`,
        agent.exchange,
      );
      const list = await mine.api.call("GET", ctx.path(mine, "/backup-configuration"));
      expectStatus(list, 200, "listBackupConfigurations");
      expect(
        !idsOf(list.body, "BackupConfigurationId").includes(id),
        `tenant ${mine.tenantId}'s list shows tenant ${theirs.tenantId}'s configuration ${id}`,
        list.exchange,
      );
      const agents = await mine.api.call("GET", ctx.path(mine, "/user/agents"));
      expect(
        !idsOf(agents.body, "MachineAgentId").includes(theirAgent.id),
        `tenant ${mine.tenantId}'s agent list shows tenant ${theirs.tenantId}'s agent ${theirAgent.id}`,
        agents.exchange,
      );
      const change = await mine.api.call("POST", ctx.path(mine, `/backup-configuration/enable/${id}`), { body: { Enable: false } });
      expect(
        REFUSED.includes(change.status),
        `tenant ${mine.tenantId} changed tenant ${theirs.tenantId}'s configuration ${id} (answer ${change.status})`,
        change.exchange,
      );
      const still = await theirs.api.call("GET", ctx.path(theirs, `/backup-configuration/${id}`));
      expectStatus(still, 200, "getBackupConfiguration by its owner");
      expect((still.body as any)?.IsActive === true, `configuration ${id} was disabled by another tenant`, still.exchange);
    });

    c.add("one tenant cannot act on another tenant's resources by id", async (ctx) => {
      if (!ctx.control) throw new CheckSkipped("needs --admin-url to create a second tenant");
      const mine = await ctx.newTenant({ agents: 1 });
      const theirs = await ctx.newTenant({ agents: 1 });
      const [theirAgent] = await ctx.agents(theirs);
      expect(theirAgent, `the new tenant ${theirs.tenantId} has no agent`);
      const { config } = await createConfiguration(ctx, theirs, configurationBody(theirAgent, uniqueName("conformance not yours")));
      await ctx.wake(theirs);
      await ctx.pass(20);
      const start = await mine.api.call("POST", ctx.path(mine, "/backup/action-requested"), {
        body: { Action: "StartManual", Id: config.BackupConfigurationId },
      });
      expect(
        start.status >= 400 && start.status < 500,
        `tenant ${mine.tenantId} started tenant ${theirs.tenantId}'s configuration ${config.BackupConfigurationId} (answer ${start.status})`,
        start.exchange,
      );
      const disable = await mine.api.call("POST", ctx.path(mine, "/agent/enable"), {
        body: { MachineAgentId: theirAgent.id, Enable: false },
      });
      expect(
        disable.status >= 400 && disable.status < 500,
        `tenant ${mine.tenantId} disabled tenant ${theirs.tenantId}'s agent ${theirAgent.id} (answer ${disable.status})`,
        disable.exchange,
      );
      const activity = await theirs.api.call("GET", ctx.path(theirs, "/activity"));
      expectStatus(activity, 200, "listActivity");
      const backups = (activity.body as any[]).filter((x) => x.Type === "Backup");
      expect(
        !backups.length,
        `a start refused to another tenant still ran backup(s) ${backups.map((x) => x.ID).join(", ")} in tenant ${theirs.tenantId}`,
        activity.exchange,
      );
      const agent = await theirs.api.call("GET", ctx.path(theirs, `/agent/${theirAgent.id}`));
      expect((agent.body as any)?.IsDisabled === false, `agent ${theirAgent.id} was disabled by another tenant`, agent.exchange);
    });

    c.add("an observer token reads but cannot create", async (ctx) => {
      if (!ctx.control) throw new CheckSkipped("needs --admin-url to create a tenant with an observer token");
      const tenant = await ctx.newTenant({ agents: 1, roles: ["cloudBackup:admin", "cloudBackup:observer"] });
      const observerToken = tenant.tokens["cloudBackup:observer"];
      if (!observerToken) throw new CheckSkipped("the control API gave no cloudBackup:observer token");
      const observer = ctx.client(observerToken);
      const list = await observer.call("GET", ctx.path(tenant, "/user/agents"));
      expectStatus(list, 200, "listAgents with an observer token");
      const [agent] = await ctx.agents(tenant);
      if (!agent) throw new CheckFailure(`the new tenant ${tenant.tenantId} has no agent`);
      const res = await observer.call("POST", ctx.path(tenant, "/backup-configuration"), {
        body: configurationBody(agent, uniqueName("conformance observer")),
      });
      expectStatus(res, 403, "createBackupConfiguration with an observer token");
      const after = await tenant.api.call("GET", ctx.path(tenant, "/backup-configuration"));
      expect(
        idsOf(after.body, "BackupConfigurationId").length === 0,
        "a create refused with 403 still created a configuration",
        after.exchange,
      );
    });

    return c.list;
  },
};
