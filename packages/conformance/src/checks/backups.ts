import { type AgentInfo, RESTORABLE_BACKUP_STATES, TERMINAL_BACKUP_STATES } from "../context.js";
import { CheckFailure, CheckSkipped, expect, expectStatus } from "../http.js";
import { createManualConfiguration, type FollowedBackup, followBackup, idsOf, need, startBackup } from "../steps.js";
import { type CapabilityModule, checks } from "./types.js";

export const backups: CapabilityModule = {
  capability: "backups",
  build() {
    const c = checks();
    let agent: AgentInfo | undefined;
    let config: any;
    let backupId: number | undefined;
    let followed: FollowedBackup | undefined;

    c.add("starts a backup of a new configuration", async (ctx) => {
      const account = await ctx.account();
      [agent] = await ctx.usableAgents(account);
      config = await createManualConfiguration(ctx, account, agent!, "conformance backup");
      ({ backupId } = await startBackup(ctx, account, config.BackupConfigurationId));
      const res = await account.api.call("GET", ctx.path(account, `/backup/${backupId}`));
      expectStatus(res, 200, `getBackup ${backupId}`);
      const body = res.body as any;
      expect(
        body.BackupConfigurationId === config.BackupConfigurationId,
        `backup ${backupId} names configuration ${body.BackupConfigurationId}, expected ${config.BackupConfigurationId}`,
        res.exchange,
      );
      expect(
        body.MachineAgentId === agent!.id,
        `backup ${backupId} names agent ${body.MachineAgentId}, expected ${agent!.id}`,
        res.exchange,
      );
    });

    c.add("a second start while the backup runs answers 409", async (ctx) => {
      const account = await ctx.account();
      const id = need(backupId, "a started backup");
      const res = await account.api.call("POST", ctx.path(account, "/backup/action-requested"), {
        body: { Action: "StartManual", Id: config.BackupConfigurationId },
      });
      if (res.status === 409) return;
      const state = await account.api.call("GET", ctx.path(account, `/backup/${id}`));
      const current = (state.body as any)?.CurrentState;
      if (res.status === 200 && TERMINAL_BACKUP_STATES.includes(current)) {
        // The first backup finished before the second start: a legitimate second run. Follow it so it does not linger.
        await followBackup(ctx, account, res.body as number);
        throw new CheckSkipped(`backup ${id} had already finished (${current}) when the second start arrived`);
      }
      throw new CheckFailure(
        `a second StartManual of configuration ${config.BackupConfigurationId} while backup ${id} is ${current} answered ${res.status}; expected 409`,
        res.exchange,
      );
    });

    c.add("the backup moves through the documented states to a terminal state", async (ctx) => {
      const account = await ctx.account();
      followed = await followBackup(ctx, account, need(backupId, "a started backup"));
      return { details: { states: followed.states } };
    });

    c.add("a finished backup has a matching report", async (ctx) => {
      const account = await ctx.account();
      const run = need(followed, "a finished backup");
      const res = await account.api.call("GET", ctx.path(account, `/backup/report/${run.backupId}`));
      expectStatus(res, 200, `getBackupReport ${run.backupId}`);
      const report = res.body as any;
      const problems: string[] = [];
      if (report.BackupId !== run.backupId) problems.push(`BackupId ${report.BackupId}`);
      if (report.BackupConfigurationId !== config.BackupConfigurationId)
        problems.push(`BackupConfigurationId ${report.BackupConfigurationId}`);
      if (report.State !== run.final) problems.push(`State ${report.State} (getBackup says ${run.final})`);
      if (report.MachineAgentId !== agent!.id) problems.push(`MachineAgentId ${report.MachineAgentId}`);
      if (report.CompletedTime === null) problems.push("CompletedTime null for a finished backup");
      if (RESTORABLE_BACKUP_STATES.includes(run.final) && report.CanRestore !== true)
        problems.push(`CanRestore ${report.CanRestore} for a ${run.final} backup`);
      if (Array.isArray(report.ErrorList) && report.NumErrors !== report.ErrorList.length)
        problems.push(`NumErrors ${report.NumErrors} but ${report.ErrorList.length} errors listed`);
      expect(!problems.length, `the report of backup ${run.backupId} disagrees: ${problems.join("; ")}`, res.exchange);
    });

    c.add("a completed backup is listed as completed and available for restore", async (ctx) => {
      const account = await ctx.account();
      const run = need(followed, "a finished backup");
      if (!RESTORABLE_BACKUP_STATES.includes(run.final))
        throw new CheckSkipped(`backup ${run.backupId} ended ${run.final}, which is not restorable`);
      const completed = await account.api.call("GET", ctx.path(account, `/backup/completed/${config.BackupConfigurationId}`));
      expectStatus(completed, 200, "listCompletedBackups");
      expect(
        idsOf(completed.body, "BackupId").includes(run.backupId),
        `listCompletedBackups ${config.BackupConfigurationId} does not include backup ${run.backupId}`,
        completed.exchange,
      );
      const available = await account.api.call("GET", ctx.path(account, "/backup/availableforrestore"));
      expectStatus(available, 200, "listBackupsAvailableForRestore");
      expect(
        idsOf(available.body, "BackupConfigurationId").includes(config.BackupConfigurationId),
        `listBackupsAvailableForRestore does not include configuration ${config.BackupConfigurationId}`,
        available.exchange,
      );
      const agentRead = await account.api.call("GET", ctx.path(account, `/agent/${agent!.id}`));
      expect(
        (agentRead.body as any)?.TimeOfLastSuccessfulBackup !== null,
        `agent ${agent!.id} still has TimeOfLastSuccessfulBackup null after backup ${run.backupId} completed`,
        agentRead.exchange,
      );
    });

    c.add("stops a running backup", async (ctx) => {
      const account = await ctx.account();
      need(followed, "a finished first backup");
      const { backupId: id } = await startBackup(ctx, account, config.BackupConfigurationId);
      const stop = await account.api.call("POST", ctx.path(account, "/backup/action-requested"), {
        body: { Action: "StopManual", Id: id },
      });
      if (stop.status === 409) {
        const state = await account.api.call("GET", ctx.path(account, `/backup/${id}`));
        const current = (state.body as any)?.CurrentState;
        if (TERMINAL_BACKUP_STATES.includes(current)) throw new CheckSkipped(`backup ${id} finished (${current}) before the stop arrived`);
        throw new CheckFailure(`StopManual of running backup ${id} (${current}) answered 409`, stop.exchange);
      }
      expectStatus(stop, 204, `requestBackupAction StopManual ${id}`);
      const run = await followBackup(ctx, account, id);
      expect(
        run.final === "Stopped",
        `backup ${id} was stopped but ended ${run.final} (states: ${run.states.join(" → ")})`,
        run.last.exchange,
      );
      return { details: { states: run.states } };
    });

    c.add("stopping a finished backup answers 409", async (ctx) => {
      const account = await ctx.account();
      const run = need(followed, "a finished backup");
      const res = await account.api.call("POST", ctx.path(account, "/backup/action-requested"), {
        body: { Action: "StopManual", Id: run.backupId },
      });
      expectStatus(res, 409, `StopManual of finished backup ${run.backupId}`);
      const read = await account.api.call("GET", ctx.path(account, `/backup/${run.backupId}`));
      expect(
        (read.body as any)?.CurrentState === run.final,
        `a refused stop changed backup ${run.backupId} from ${run.final} to ${(read.body as any)?.CurrentState}`,
        read.exchange,
      );
    });

    c.add("a disabled or deleted configuration does not start", async (ctx) => {
      const account = await ctx.account();
      const target = await createManualConfiguration(ctx, account, need(agent, "an agent"), "conformance no start");
      const id = target.BackupConfigurationId;
      const off = await account.api.call("POST", ctx.path(account, `/backup-configuration/enable/${id}`), { body: { Enable: false } });
      expectStatus(off, 200, "enableBackupConfiguration Enable false");
      await ctx.wake(account);
      const disabled = await account.api.call("POST", ctx.path(account, "/backup/action-requested"), {
        body: { Action: "StartManual", Id: id },
      });
      expectStatus(disabled, 409, `StartManual of disabled configuration ${id}`);
      const del = await account.api.call("DELETE", ctx.path(account, `/backup-configuration/${id}`));
      expectStatus(del, 200, "deleteBackupConfiguration");
      const deleted = await account.api.call("POST", ctx.path(account, "/backup/action-requested"), {
        body: { Action: "StartManual", Id: id },
      });
      expect(
        [404, 409].includes(deleted.status),
        `StartManual of deleted configuration ${id} answered ${deleted.status}; expected 409 (or 404)`,
        deleted.exchange,
      );
      const completed = await account.api.call("GET", ctx.path(account, `/backup/completed/${id}`));
      if (completed.status === 200)
        expect(!(completed.body as any[]).length, `configuration ${id} never ran but lists completed backups`, completed.exchange);
    });

    return c.list;
  },
};
