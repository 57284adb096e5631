/**
 * The internal endpoints (`openapi/internal.yaml`), checked only when asked
 * (`--include internal`): each answers as described, from the state the published
 * operations made.
 */
import { CheckSkipped, expect, expectStatus } from "../http.js";
import type { Json } from "../spec.js";
import { createManualConfiguration, need } from "../steps.js";
import { type CapabilityModule, checks } from "./types.js";

const LEVELS = ["Fatal", "Error", "Warn", "Info", "Debug", "Trace", "All"];

/** The published description with the internal endpoints' paths and components added (the published ones win on a name clash). */
export function withInternal(published: unknown, internal: unknown): Json {
  const a = published as Json;
  const b = internal as Json;
  const components: Json = { ...((b.components as Json) ?? {}) };
  for (const [kind, entries] of Object.entries((a.components as Json) ?? {})) {
    components[kind] = { ...((components[kind] as Json) ?? {}), ...(entries as Json) };
  }
  return { ...a, paths: { ...((a.paths as Json) ?? {}), ...((b.paths as Json) ?? {}) }, components };
}

export const internal: CapabilityModule = {
  capability: "internal",
  build() {
    const c = checks();
    let agentId: number | undefined;

    c.add("answers every internal read for an agent as described", async (ctx) => {
      const account = await ctx.account();
      const [agent] = await ctx.usableAgents(account, 1);
      agentId = need(agent, "an agent").id;
      for (const path of ["logging", "configuration", "busy", "logfiles", "events"]) {
        for (const form of [ctx.path(account, `/agent/${path}/${agentId}`), `/v1.0/agent/${path}/${agentId}`]) {
          expectStatus(await account.api.call("GET", form), 200, `GET ${form}`);
        }
      }
    });

    c.add("getAgentLogLevel returns the level changeAgentLogLevel set", async (ctx) => {
      const account = await ctx.account();
      const [agent] = await ctx.usableAgents(account, 1);
      for (const level of [3, 6]) {
        const set = await account.api.call("PUT", ctx.path(account, "/agent/logging"), {
          body: { MachineAgentId: agent!.id, LoggingLevelId: level },
        });
        expectStatus(set, [200, 204], `changeAgentLogLevel ${level}`);
        const read = await account.api.call("GET", ctx.path(account, `/agent/logging/${agent!.id}`));
        expectStatus(read, 200, "getAgentLogLevel");
        expect(
          read.body === LEVELS[level - 1],
          `getAgentLogLevel answered ${JSON.stringify(read.body)} after level ${level}; expected ${LEVELS[level - 1]}`,
          read.exchange,
        );
      }
    });

    c.add("getAgentConfiguration lists the agent's live configurations", async (ctx) => {
      const account = await ctx.account();
      const [agent] = await ctx.usableAgents(account, 1);
      const config = await createManualConfiguration(ctx, account, agent!, "conformance internal");
      const read = await account.api.call("GET", ctx.path(account, `/agent/configuration/${agent!.id}`));
      expectStatus(read, 200, "getAgentConfiguration");
      const ids = ((read.body as any)?.BackupConfigurations ?? []).map((b: any) => b?.Id);
      expect(
        ids.includes(config.BackupConfigurationId),
        `getAgentConfiguration does not list configuration ${config.BackupConfigurationId} (lists ${ids.join(", ") || "none"})`,
        read.exchange,
      );
      const encrypted = (await account.api.call("GET", ctx.path(account, `/agent/${agent!.id}`))).body?.IsEncrypted;
      expect(
        (read.body as any)?.Volumes?.[0]?.EncryptionEnabled === encrypted,
        `getAgentConfiguration's EncryptionEnabled disagrees with getAgent's IsEncrypted ${encrypted}`,
        read.exchange,
      );
    });

    c.add("requestAgentLog then listAgentLogFiles shows the request", async (ctx) => {
      const account = await ctx.account();
      const [agent] = await ctx.usableAgents(account, 1);
      const before = await account.api.call("GET", ctx.path(account, `/agent/logfiles/${agent!.id}`));
      expectStatus(before, 200, "listAgentLogFiles");
      const asked = await account.api.call("POST", ctx.path(account, `/agent/requestlog/${agent!.id}`));
      expectStatus(asked, 200, "requestAgentLog");
      const after = await account.api.call("GET", ctx.path(account, `/agent/logfiles/${agent!.id}`));
      expectStatus(after, 200, "listAgentLogFiles");
      const count = (x: unknown) => (Array.isArray(x) ? x.length : 0);
      expect(
        count(after.body) === count(before.body) + 1,
        `listAgentLogFiles lists ${count(after.body)} files after a request; it listed ${count(before.body)} before`,
        after.exchange,
      );
    });

    c.add("listAgentEvents shows a recent Heartbeat after a wake-up", async (ctx) => {
      const account = await ctx.account();
      const id = need(agentId, "an agent");
      await ctx.wake(account);
      await ctx.waitFor(
        `a Heartbeat younger than 26 s from agent ${id}`,
        async () => {
          const res = await account.api.call("GET", ctx.path(account, `/agent/events/${id}`));
          expectStatus(res, 200, "listAgentEvents");
          const beat = (Array.isArray(res.body) ? res.body : []).find(
            (e: any) => e?.data?.Event === "Heartbeat" && e?.data?.MachineAgentId === id,
          );
          return { done: Boolean(beat) && beat.age < 26, value: beat, state: beat ? `age ${beat.age}` : "no Heartbeat", answer: res };
        },
        { virtualSeconds: 120, realSeconds: 90 },
      );
    });

    c.add("getCleanupReport answers for the account's Cleanup activities", async (ctx) => {
      // The given account: a fresh one has no history of expired backups.
      const account = ctx.given;
      const list = await account.api.call("GET", ctx.path(account, "/activity"));
      expectStatus(list, 200, "listActivity");
      const cleanups = (Array.isArray(list.body) ? list.body : []).filter((a: any) => a?.Type === "Cleanup").slice(0, 5);
      if (!cleanups.length) throw new CheckSkipped("the account has no Cleanup activity yet");
      for (const cleanup of cleanups) {
        const report = await account.api.call("GET", ctx.path(account, `/cleanup/report/${cleanup.ID}`));
        expectStatus(report, 200, `getCleanupReport ${cleanup.ID}`);
      }
    });

    return c.list;
  },
};
