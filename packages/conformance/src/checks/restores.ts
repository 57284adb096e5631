import { type AgentInfo, includePath, RESTORE_STATE_NAMES, restorePath } from "../context.js";
import { CheckFailure, CheckSkipped, expect, expectStatus } from "../http.js";
import {
  createManualConfiguration,
  differences,
  type FollowedBackup,
  type FollowedRestore,
  followRestore,
  idsOf,
  need,
  runBackup,
} from "../steps.js";
import { type CapabilityModule, checks } from "./types.js";

export const restores: CapabilityModule = {
  capability: "restores",
  build() {
    const c = checks();
    let source: AgentInfo | undefined;
    let destination: AgentInfo | undefined;
    let backup: FollowedBackup | undefined;
    let configId: number | undefined;
    let restore: any;
    let followed: FollowedRestore | undefined;

    c.add("creates a restore of a completed backup to another agent, in state 0", async (ctx) => {
      const account = await ctx.account();
      const agents = await ctx.usableAgents(account, 1, { unencrypted: true });
      source = agents[0]!;
      const others = (await ctx.agents(account)).filter((a) => a.id !== source!.id && !a.isDisabled);
      destination = others[0] ?? source;
      const config = await createManualConfiguration(ctx, account, source, "conformance restore");
      configId = config.BackupConfigurationId;
      backup = await runBackup(ctx, account, config.BackupConfigurationId);
      const body = {
        BackupId: backup.backupId,
        BackupMachineId: source.id,
        DestinationMachineId: destination.id,
        DestinationPath: restorePath(destination),
        OverwriteFiles: false,
      };
      const res = await account.api.call("PUT", ctx.path(account, "/restore"), { body });
      expectStatus(res, 200, "createRestore");
      restore = res.body;
      const diffs = differences(body, restore, [
        "BackupId",
        "BackupMachineId",
        "DestinationMachineId",
        "DestinationPath",
        "OverwriteFiles",
      ]);
      if (restore.RestoreStateId !== 0) diffs.push(`RestoreStateId ${restore.RestoreStateId} (expected 0, Creating)`);
      if (restore.BackupConfigurationId !== configId)
        diffs.push(`BackupConfigurationId ${restore.BackupConfigurationId} (expected ${configId})`);
      expect(!diffs.length, `createRestore did not answer what was asked: ${diffs.join("; ")}`, res.exchange);
      const read = await account.api.call("GET", ctx.path(account, `/restore/${restore.RestoreId}`));
      expectStatus(read, 200, "getRestore");
      const again = differences(restore, read.body, [
        "RestoreId",
        "BackupId",
        "BackupMachineId",
        "DestinationMachineId",
        "DestinationPath",
        "OverwriteFiles",
        "RestoreStateId",
        "BackupConfigurationId",
      ]);
      expect(!again.length, `getRestore differs from the create answer: ${again.join("; ")}`, read.exchange);
      return { details: { sameAgent: destination.id === source.id } };
    });

    c.add("adds, lists and removes restore files", async (ctx) => {
      const account = await ctx.account();
      const r = need(restore, "a created restore");
      const folder = includePath(source!);
      const excluded = source!.windows ? `${folder}\\site.css` : `${folder}/logo.png`;
      const include = await account.api.call("PUT", ctx.path(account, "/restore/files"), {
        body: { FilePath: folder, Filter: "Include", ParentId: r.RestoreId, FileItemType: "Folder" },
      });
      expectStatus(include, 200, 'addRestoreFile (an inclusion, Filter "Include")');
      const exclude = await account.api.call("PUT", ctx.path(account, "/restore/files"), {
        body: { FilePath: excluded, Filter: 2, ParentId: r.RestoreId, FileItemType: "0" },
      });
      expectStatus(exclude, 200, "addRestoreFile (an exclusion, Filter 2)");
      const list = await account.api.call("GET", ctx.path(account, `/restore/files/${r.RestoreId}`));
      expectStatus(list, 200, "listRestoreFiles");
      const files = list.body as any[];
      const inc = files.find((f) => f.FilePath === folder);
      const exc = files.find((f) => f.FilePath === excluded);
      expect(
        inc && inc.Filter === 1 && inc.FileItemType === 1 && inc.RestoreId === r.RestoreId,
        `listRestoreFiles does not show ${folder} as an inclusion (Filter 1, FileItemType 1) of restore ${r.RestoreId}`,
        list.exchange,
      );
      expect(
        exc && exc.Filter === 2 && exc.FileItemType === 0,
        `listRestoreFiles does not show ${excluded} as an excluded file (Filter 2, FileItemType 0)`,
        list.exchange,
      );
      if (!Number.isInteger(exc.FileId)) throw new CheckSkipped("restore files carry no FileId, so removing one cannot be checked");
      const del = await account.api.call("DELETE", ctx.path(account, `/restore/files/${exc.FileId}`));
      expectStatus(del, [200, 204], `deleteRestoreFile ${exc.FileId}`);
      const after = await account.api.call("GET", ctx.path(account, `/restore/files/${r.RestoreId}`));
      expect(
        !idsOf(after.body, "FileId").includes(exc.FileId),
        `restore file ${exc.FileId} is still listed after deleting it`,
        after.exchange,
      );
      expect(
        idsOf(after.body, "FileId").includes(inc.FileId),
        `deleting restore file ${exc.FileId} also removed ${inc.FileId}`,
        after.exchange,
      );
      const still = await account.api.call("GET", ctx.path(account, `/restore/${r.RestoreId}`));
      expectStatus(still, 200, "getRestore after removing a file (the restore itself stays)");
    });

    c.add("updates a restore while it is Creating", async (ctx) => {
      const account = await ctx.account();
      const r = need(restore, "a created restore");
      const path = `${restorePath(destination!)}${destination!.windows ? "\\v2" : "/v2"}`;
      const body = {
        RestoreId: r.RestoreId,
        BackupId: r.BackupId,
        BackupMachineId: r.BackupMachineId,
        DestinationMachineId: r.DestinationMachineId,
        OverwriteFiles: true,
        BackupConfigurationId: r.BackupConfigurationId,
        DestinationPath: path,
        RestoreStateId: 0,
      };
      const res = await account.api.call("POST", ctx.path(account, "/restore"), { body });
      expectStatus(res, 204, "updateRestore");
      const read = await account.api.call("GET", ctx.path(account, `/restore/${r.RestoreId}`));
      const diffs = differences(body, read.body, ["DestinationPath", "OverwriteFiles", "RestoreStateId"]);
      expect(!diffs.length, `the restore update did not take: ${diffs.join("; ")}`, read.exchange);
      restore = read.body;
    });

    c.add("a restore of an unknown backup is refused and creates nothing", async (ctx) => {
      const account = await ctx.account();
      const s = need(source, "an agent");
      const before = await account.api.call("GET", ctx.path(account, "/activity"));
      const res = await account.api.call("PUT", ctx.path(account, "/restore"), {
        body: {
          BackupId: 2147483000,
          BackupMachineId: s.id,
          DestinationMachineId: s.id,
          DestinationPath: restorePath(s),
          OverwriteFiles: false,
        },
      });
      expect(
        [400, 404].includes(res.status),
        `createRestore of unknown backup 2147483000 answered ${res.status}; expected 400 or 404`,
        res.exchange,
      );
      const after = await account.api.call("GET", ctx.path(account, "/activity"));
      const restoresBefore = (before.body as any[]).filter((x) => x.Type === "Restore").length;
      const restoresAfter = (after.body as any[]).filter((x) => x.Type === "Restore").length;
      expect(
        restoresAfter === restoresBefore,
        `a refused createRestore still added a restore to the activity (${restoresBefore} → ${restoresAfter})`,
        after.exchange,
      );
    });

    c.add("starts the restore and it reaches a terminal state", async (ctx) => {
      const account = await ctx.account();
      const r = need(restore, "a created restore");
      const start = await ctx.startWithRetry(
        account,
        () =>
          account.api.call("POST", ctx.path(account, "/restore/action-requested"), { body: { Action: "StartManual", Id: r.RestoreId } }),
        `Starting restore ${r.RestoreId}`,
      );
      expectStatus(start, 204, "requestRestoreAction StartManual");
      followed = await followRestore(ctx, account, r.RestoreId);
      expect(
        [3, 8].includes(followed.final),
        `restore ${r.RestoreId} ended in state ${followed.final} (${RESTORE_STATE_NAMES[followed.final]}); expected 3 Completed or 8 CompletedWithErrors (states: ${followed.states.join(" → ")})`,
        followed.last.exchange,
      );
      return { details: { states: followed.states } };
    });

    c.add("a finished restore has a matching report", async (ctx) => {
      const account = await ctx.account();
      const run = need(followed, "a finished restore");
      const res = await account.api.call("GET", ctx.path(account, `/restore/report/${run.restoreId}`));
      expectStatus(res, 200, "getRestoreReport");
      const report = res.body as any;
      const problems: string[] = [];
      if (report.BackupReportId !== backup!.backupId)
        problems.push(`BackupReportId ${report.BackupReportId} (restored backup ${backup!.backupId})`);
      if (report.BackupConfigurationId !== configId)
        problems.push(`BackupConfigurationId ${report.BackupConfigurationId} (expected ${configId})`);
      if (report.RestoreDestinationMachineId !== destination!.id)
        problems.push(`RestoreDestinationMachineId ${report.RestoreDestinationMachineId} (expected ${destination!.id})`);
      if (report.State !== RESTORE_STATE_NAMES[run.final])
        problems.push(`State ${report.State} (getRestore says ${run.final}, ${RESTORE_STATE_NAMES[run.final]})`);
      if (report.CompletedTime === null) problems.push("CompletedTime null for a finished restore");
      if (Array.isArray(report.ErrorList) && Number(report.NumErrors) !== report.ErrorList.length)
        problems.push(`NumErrors ${report.NumErrors} but ${report.ErrorList.length} errors listed`);
      expect(!problems.length, `the report of restore ${run.restoreId} disagrees: ${problems.join("; ")}`, res.exchange);
    });

    c.add("a started restore can no longer be changed or started again", async (ctx) => {
      const account = await ctx.account();
      const r = need(restore, "a created restore");
      need(followed, "a started restore");
      const update = await account.api.call("POST", ctx.path(account, "/restore"), {
        body: {
          RestoreId: r.RestoreId,
          BackupId: r.BackupId,
          BackupMachineId: r.BackupMachineId,
          DestinationMachineId: r.DestinationMachineId,
          OverwriteFiles: false,
          BackupConfigurationId: r.BackupConfigurationId,
          DestinationPath: restorePath(destination!),
          RestoreStateId: 0,
        },
      });
      expectStatus(update, 409, `updateRestore of started restore ${r.RestoreId}`);
      const add = await account.api.call("PUT", ctx.path(account, "/restore/files"), {
        body: { FilePath: includePath(source!), Filter: 1, ParentId: r.RestoreId, FileItemType: 1 },
      });
      expectStatus(add, 409, `addRestoreFile to started restore ${r.RestoreId}`);
      const again = await account.api.call("POST", ctx.path(account, "/restore/action-requested"), {
        body: { Action: "StartManual", Id: r.RestoreId },
      });
      expectStatus(again, 409, `StartManual of finished restore ${r.RestoreId}`);
      const read = await account.api.call("GET", ctx.path(account, `/restore/${r.RestoreId}`));
      const body = read.body as any;
      if (body.DestinationPath !== r.DestinationPath || body.OverwriteFiles !== r.OverwriteFiles) {
        throw new CheckFailure(
          `a refused update changed restore ${r.RestoreId} (DestinationPath ${body.DestinationPath}, OverwriteFiles ${body.OverwriteFiles})`,
          read.exchange,
        );
      }
    });

    return c.list;
  },
};
