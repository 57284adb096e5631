import type { AgentInfo } from "../context.js";
import { CheckSkipped, expect, expectStatus } from "../http.js";
import { createManualConfiguration, differences, idsOf, need } from "../steps.js";
import { type CapabilityModule, checks } from "./types.js";

const IDENTITY_FIELDS = ["MachineAgentId", "MachineName", "OperatingSystem", "Architecture", "Datacenter", "IPAddress", "AgentVersion"];

export const agents: CapabilityModule = {
  capability: "agents",
  build() {
    const c = checks();
    let list: AgentInfo[] | undefined;

    c.add("lists the account's agents", async (ctx) => {
      const account = await ctx.account();
      list = await ctx.agents(account);
      const ids = list.map((a) => a.id);
      expect(new Set(ids).size === ids.length, `listAgents repeats agents: ${ids.join(", ")}`);
      if (!list.length) throw new CheckSkipped(`tenant ${account.tenantId} has no agents; most agent checks cannot run`);
      return { details: { agents: ids.length } };
    });

    c.add("each agent reads back as the list shows it", async (ctx) => {
      const account = await ctx.account();
      for (const agent of need(list, "the agent list")) {
        const res = await account.api.call("GET", ctx.path(account, `/agent/${agent.id}`));
        expectStatus(res, 200, `getAgent ${agent.id}`);
        const diffs = differences(agent.raw, res.body, IDENTITY_FIELDS);
        expect(!diffs.length, `getAgent ${agent.id} disagrees with listAgents: ${diffs.join("; ")}`, res.exchange);
      }
    });

    c.add("finds an agent by its host server id", async (ctx) => {
      const account = await ctx.account();
      const agent = need(list, "the agent list").find((a) => typeof a.raw.HostServerId === "string");
      if (!agent) throw new CheckSkipped("no agent reports a HostServerId");
      const res = await account.api.call("GET", ctx.path(account, `/agent/server/${agent.raw.HostServerId}`));
      expectStatus(res, 200, `getAgentByHostServer ${agent.raw.HostServerId}`);
      expect(
        (res.body as any)?.MachineAgentId === agent.id,
        `getAgentByHostServer answered agent ${JSON.stringify((res.body as any)?.MachineAgentId)}, expected ${agent.id}`,
        res.exchange,
      );
    });

    c.add("woken agents come online", async (ctx) => {
      const account = await ctx.account();
      const agent = need(list, "the agent list").find((a) => !a.isDisabled);
      if (!agent) throw new CheckSkipped("no enabled agent");
      await ctx.wake(account);
      await ctx.waitFor(
        `Agent ${agent.id} reporting Online after wakeAgents`,
        async () => {
          const res = await account.api.call("GET", ctx.path(account, `/agent/${agent.id}`));
          expectStatus(res, 200, `getAgent ${agent.id}`);
          const status = (res.body as any)?.Status;
          return { done: status === "Online", value: status, state: status, answer: res };
        },
        { virtualSeconds: 120, realSeconds: 90 },
      );
    });

    c.add("disables and enables an agent", async (ctx) => {
      const account = await ctx.account();
      const agent = need(list, "the agent list").find((a) => !a.isDisabled);
      if (!agent) throw new CheckSkipped("no enabled agent");
      const restore = async () => {
        await account.api.call("POST", ctx.path(account, "/agent/enable"), {
          body: { MachineAgentId: agent.id, Enable: true },
          conform: false,
        });
      };
      if (!account.fresh) ctx.onCleanup(`enable agent ${agent.id} again`, restore);
      const off = await account.api.call("POST", ctx.path(account, "/agent/enable"), { body: { MachineAgentId: agent.id, Enable: false } });
      expectStatus(off, 204, `enableAgent ${agent.id} Enable false`);
      const read = await account.api.call("GET", ctx.path(account, `/agent/${agent.id}`));
      expect((read.body as any)?.IsDisabled === true, `agent ${agent.id} is not IsDisabled after disabling it`, read.exchange);
      const on = await account.api.call("POST", ctx.path(account, "/agent/enable"), { body: { MachineAgentId: agent.id, Enable: true } });
      expectStatus(on, 204, `enableAgent ${agent.id} Enable true`);
      const again = await account.api.call("GET", ctx.path(account, `/agent/${agent.id}`));
      expect((again.body as any)?.IsDisabled === false, `agent ${agent.id} is still IsDisabled after enabling it`, again.exchange);
    });

    c.add("updates an agent's backup behaviour and reads it back", async (ctx) => {
      const account = await ctx.account();
      const agent = need(list, "the agent list")[0]!;
      const before = await account.api.call("GET", ctx.path(account, `/agent/${agent.id}`));
      expectStatus(before, 200, `getAgent ${agent.id}`);
      const original = (before.body as any).UseServiceNet === true;
      if (!account.fresh) {
        ctx.onCleanup(`restore UseServiceNet of agent ${agent.id}`, async () => {
          await account.api.call("POST", ctx.path(account, `/agent/${agent.id}`), { body: { UseServiceNet: original }, conform: false });
        });
      }
      const res = await account.api.call("POST", ctx.path(account, `/agent/${agent.id}`), { body: { UseServiceNet: !original } });
      expectStatus(res, 200, `updateAgentBackupBehavior ${agent.id}`);
      expect(
        (res.body as any)?.UseServiceNet === !original,
        `updateAgentBackupBehavior answered UseServiceNet ${JSON.stringify((res.body as any)?.UseServiceNet)}, sent ${!original}`,
        res.exchange,
      );
      const read = await account.api.call("GET", ctx.path(account, `/agent/${agent.id}`));
      expect(
        (read.body as any)?.UseServiceNet === !original,
        `getAgent ${agent.id} shows UseServiceNet ${JSON.stringify((read.body as any)?.UseServiceNet)} after the update`,
        read.exchange,
      );
    });

    c.add("a rejected agent update changes nothing", async (ctx) => {
      const account = await ctx.account();
      const agent = need(list, "the agent list")[0]!;
      const before = await account.api.call("GET", ctx.path(account, `/agent/${agent.id}`));
      const res = await account.api.call("POST", ctx.path(account, `/agent/${agent.id}`), {
        body: { UseServiceNet: "yes", BackupDataCenter: "NOWHERE" },
      });
      expectStatus(res, 400, 'updateAgentBackupBehavior with UseServiceNet "yes" and BackupDataCenter "NOWHERE"');
      const after = await account.api.call("GET", ctx.path(account, `/agent/${agent.id}`));
      const diffs = differences(before.body, after.body, ["UseServiceNet", "BackupDatacenter", "IsDisabled", "IsEncrypted"]);
      expect(!diffs.length, `a rejected update changed agent ${agent.id}: ${diffs.join("; ")}`, after.exchange);
    });

    c.add("changes an agent's log level", async (ctx) => {
      const account = await ctx.account();
      const agent = need(list, "the agent list")[0]!;
      const res = await account.api.call("PUT", ctx.path(account, "/agent/logging"), {
        body: { MachineAgentId: agent.id, LoggingLevelId: 4 },
      });
      expectStatus(res, [200, 204], `changeAgentLogLevel ${agent.id} to 4 (Info, the default)`);
    });

    c.add("migrates a vault to another agent", async (ctx) => {
      const account = await ctx.account();
      if (!account.fresh) throw new CheckSkipped("moves a vault between agents for good; runs only in a fresh tenant (--admin-url)");
      const [source, destination] = need(list, "the agent list").filter((a) => !a.isEncrypted);
      if (!source || !destination) throw new CheckSkipped("needs two unencrypted agents");
      const config = await createManualConfiguration(ctx, account, source, "conformance vault");
      const res = await account.api.call("PUT", ctx.path(account, "/agent/migratevault"), {
        body: { SourceMachineAgentId: source.id, DestinationMachineAgentId: destination.id },
      });
      expectStatus(res, 200, `migrateVault ${source.id} → ${destination.id}`);
      const moved = await account.api.call("GET", ctx.path(account, `/backup-configuration/system/${destination.id}`));
      expectStatus(moved, 200, `listAgentBackupConfigurations ${destination.id}`);
      expect(
        idsOf(moved.body, "BackupConfigurationId").includes(config.BackupConfigurationId),
        `configuration ${config.BackupConfigurationId} did not move to agent ${destination.id}`,
        moved.exchange,
      );
      const left = await account.api.call("GET", ctx.path(account, `/backup-configuration/system/${source.id}`));
      expect(
        !idsOf(left.body, "BackupConfigurationId").includes(config.BackupConfigurationId),
        `configuration ${config.BackupConfigurationId} is still listed under agent ${source.id}`,
        left.exchange,
      );
    });

    c.add("deletes an agent", async (ctx) => {
      const account = await ctx.account();
      if (!account.fresh) throw new CheckSkipped("deleting an agent cannot be undone; runs only in a fresh tenant (--admin-url)");
      const victim = need(list, "the agent list")[need(list, "the agent list").length - 1]!;
      const res = await account.api.call("POST", ctx.path(account, "/agent/delete"), { body: { MachineAgentId: victim.id } });
      expectStatus(res, 204, `deleteAgent ${victim.id}`);
      const read = await account.api.call("GET", ctx.path(account, `/agent/${victim.id}`));
      expectStatus(read, 404, `getAgent ${victim.id} after deleting it`);
      const all = await account.api.call("GET", ctx.path(account, "/user/agents"));
      expect(!idsOf(all.body, "MachineAgentId").includes(victim.id), `listAgents still shows deleted agent ${victim.id}`, all.exchange);
    });

    return c.list;
  },
};
