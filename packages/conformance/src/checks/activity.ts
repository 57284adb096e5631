import { type AgentInfo, restorePath } from "../context.js";
import { type Answer, CheckSkipped, expect, expectStatus } from "../http.js";
import { createManualConfiguration, type FollowedBackup, need, runBackup } from "../steps.js";
import { type CapabilityModule, checks } from "./types.js";

const msOf = (date: unknown) => {
  const m = /^\/Date\((-?\d+)/.exec(String(date));
  return m ? Number(m[1]) : Number.NaN;
};

/** Fails unless the list's TimeOfActivity never increases. */
function newestFirst(res: Answer, what: string): void {
  const list = res.body as any[];
  for (let i = 1; i < list.length; i++) {
    if (msOf(list[i].TimeOfActivity) > msOf(list[i - 1].TimeOfActivity)) {
      expect(
        false,
        `${what} is not newest first: entry ${i} (${list[i].Type} ${list[i].ID}, ${list[i].TimeOfActivity}) is newer than entry ${i - 1} (${list[i - 1].Type} ${list[i - 1].ID}, ${list[i - 1].TimeOfActivity})`,
        res.exchange,
      );
    }
  }
}

export const activity: CapabilityModule = {
  capability: "activity",
  build() {
    const c = checks();
    let agent: AgentInfo | undefined;
    let other: AgentInfo | undefined;
    let backup: FollowedBackup | undefined;
    let restoreId: number | undefined;

    c.add("account activity lists a finished backup with its state", async (ctx) => {
      const account = await ctx.account();
      [agent] = await ctx.usableAgents(account, 1, { unencrypted: true });
      other = (await ctx.agents(account)).find((a) => a.id !== agent!.id && !a.isDisabled);
      const config = await createManualConfiguration(ctx, account, agent!, "conformance activity");
      backup = await runBackup(ctx, account, config.BackupConfigurationId);
      const res = await account.api.call("GET", ctx.path(account, "/activity"));
      expectStatus(res, 200, "listActivity");
      const entry = (res.body as any[]).find((x) => x.Type === "Backup" && x.ID === backup!.backupId);
      expect(entry, `listActivity has no Backup entry with ID ${backup!.backupId}`, res.exchange);
      const problems: string[] = [];
      if (entry.CurrentState !== backup!.final) problems.push(`CurrentState ${entry.CurrentState} (getBackup: ${backup!.final})`);
      if (entry.ParentId !== config.BackupConfigurationId)
        problems.push(`ParentId ${entry.ParentId} (configuration ${config.BackupConfigurationId})`);
      if (entry.SourceMachineAgentId !== agent!.id)
        problems.push(`SourceMachineAgentId ${entry.SourceMachineAgentId} (agent ${agent!.id})`);
      if (entry.BackupId !== undefined && entry.BackupId !== null && entry.BackupId !== backup!.backupId)
        problems.push(`BackupId ${entry.BackupId}`);
      expect(!problems.length, `the activity entry of backup ${backup!.backupId} disagrees: ${problems.join("; ")}`, res.exchange);
    });

    c.add("account activity lists a restore with its destination", async (ctx) => {
      const account = await ctx.account();
      const run = need(backup, "a finished backup");
      const destination = other ?? agent!;
      const created = await account.api.call("PUT", ctx.path(account, "/restore"), {
        body: {
          BackupId: run.backupId,
          BackupMachineId: agent!.id,
          DestinationMachineId: destination.id,
          DestinationPath: restorePath(destination),
          OverwriteFiles: false,
        },
      });
      expectStatus(created, 200, "createRestore");
      restoreId = (created.body as any).RestoreId;
      const start = await ctx.startWithRetry(
        account,
        () => account.api.call("POST", ctx.path(account, "/restore/action-requested"), { body: { Action: "StartManual", Id: restoreId } }),
        `Starting restore ${restoreId}`,
      );
      expectStatus(start, 204, "requestRestoreAction StartManual");
      const res = await account.api.call("GET", ctx.path(account, "/activity"));
      expectStatus(res, 200, "listActivity");
      const entry = (res.body as any[]).find((x) => x.Type === "Restore" && x.ID === restoreId);
      expect(entry, `listActivity has no Restore entry with ID ${restoreId}`, res.exchange);
      const problems: string[] = [];
      if (entry.DestinationMachineAgentId !== destination.id)
        problems.push(`DestinationMachineAgentId ${entry.DestinationMachineAgentId} (agent ${destination.id})`);
      if (entry.SourceMachineAgentId !== agent!.id)
        problems.push(`SourceMachineAgentId ${entry.SourceMachineAgentId} (agent ${agent!.id})`);
      if (entry.BackupId !== undefined && entry.BackupId !== null && entry.BackupId !== run.backupId)
        problems.push(`BackupId ${entry.BackupId} (restores backup ${run.backupId})`);
      expect(!problems.length, `the activity entry of restore ${restoreId} disagrees: ${problems.join("; ")}`, res.exchange);
    });

    c.add("account and agent activity are newest first", async (ctx) => {
      const account = await ctx.account();
      const res = await account.api.call("GET", ctx.path(account, "/activity"));
      expectStatus(res, 200, "listActivity");
      newestFirst(res, "listActivity");
      if (agent) {
        const mine = await account.api.call("GET", ctx.path(account, `/system/activity/${agent.id}`));
        expectStatus(mine, 200, `listAgentActivity ${agent.id}`);
        newestFirst(mine, `listAgentActivity ${agent.id}`);
      }
      if ((res.body as any[]).length < 2) throw new CheckSkipped("fewer than two activity entries to order");
    });

    c.add("an agent's activity shows only that agent's work", async (ctx) => {
      const account = await ctx.account();
      const run = need(backup, "a finished backup");
      for (const a of [agent!, ...(other ? [other] : [])]) {
        const res = await account.api.call("GET", ctx.path(account, `/system/activity/${a.id}`));
        expectStatus(res, 200, `listAgentActivity ${a.id}`);
        const foreign = (res.body as any[]).filter((x) => x.SourceMachineAgentId !== a.id && x.DestinationMachineAgentId !== a.id);
        expect(
          !foreign.length,
          `listAgentActivity ${a.id} shows work of other agents: ${foreign.map((x) => `${x.Type} ${x.ID}`).join(", ")}`,
          res.exchange,
        );
        if (a.id === agent!.id) {
          expect(
            (res.body as any[]).some((x) => x.Type === "Backup" && x.ID === run.backupId),
            `listAgentActivity ${a.id} does not show backup ${run.backupId}`,
            res.exchange,
          );
        }
        if (restoreId !== undefined && a.id === (other ?? agent)!.id) {
          expect(
            (res.body as any[]).some((x) => x.Type === "Restore" && x.ID === restoreId),
            `listAgentActivity ${a.id} does not show restore ${restoreId} to it`,
            res.exchange,
          );
        }
      }
    });

    return c.list;
  },
};
