/**
 * Journeys several capabilities share: create a configuration, run a backup to its end,
 * follow a restore, compare what was written with what is read back.
 */
import {
  type Account,
  type AgentInfo,
  BACKUP_ORDER,
  type CapabilityContext,
  configurationBody,
  RESTORABLE_BACKUP_STATES,
  RESTORE_ORDER,
  TERMINAL_BACKUP_STATES,
  TERMINAL_RESTORE_STATES,
  uniqueName,
} from "./context.js";
import { type Answer, CheckFailure, CheckSkipped, expect, expectStatus } from "./http.js";

/** A value an earlier check was to provide; skips the check when it is missing. */
export function need<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new CheckSkipped(`needs ${what}, which an earlier check did not provide`);
  return value;
}

/** Field-by-field differences between what was sent and what came back. */
export function differences(expected: Record<string, unknown>, actual: Record<string, unknown> | undefined, fields: string[]): string[] {
  const out: string[] = [];
  for (const field of fields) {
    const want = expected[field];
    const got = actual?.[field];
    if (JSON.stringify(want) !== JSON.stringify(got)) out.push(`${field}: sent ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  }
  return out;
}

/** Fields of a configuration that do not depend on time (no next/last run, no last state). */
export const STABLE_CONFIGURATION_FIELDS = [
  "BackupConfigurationId",
  "MachineAgentId",
  "BackupConfigurationName",
  "IsActive",
  "IsDeleted",
  "VersionRetention",
  "BackupConfigurationScheduleId",
  "MissedBackupActionId",
  "Frequency",
  "StartTimeHour",
  "StartTimeMinute",
  "StartTimeAmPm",
  "DayOfWeekId",
  "HourInterval",
  "TimeZoneId",
  "NotifyRecipients",
  "NotifySuccess",
  "NotifyFailure",
  "Inclusions",
  "Exclusions",
];

/** The paths and kinds of a configuration's inclusions or exclusions, sorted. */
export function fileSet(items: unknown): string[] {
  return (Array.isArray(items) ? items : []).map((i: any) => `${String(i?.FileItemType)} ${String(i?.FilePath)}`).sort();
}

/** Creates a backup configuration; outside a fresh tenant it is deleted when the capability ends. */
export async function createConfiguration(
  ctx: CapabilityContext,
  account: Account,
  body: Record<string, unknown>,
): Promise<{ config: any; answer: Answer }> {
  const answer = await account.api.call("POST", ctx.path(account, "/backup-configuration"), { body });
  expectStatus(answer, 200, "createBackupConfiguration with a valid body");
  const config = answer.body as any;
  expect(Number.isInteger(config?.BackupConfigurationId), "createBackupConfiguration answered no BackupConfigurationId", answer.exchange);
  if (!account.fresh) {
    const id = config.BackupConfigurationId as number;
    ctx.onCleanup(`delete backup configuration ${id}`, async () => {
      const res = await account.api.call("DELETE", ctx.path(account, `/backup-configuration/${id}`), { conform: false });
      if (res.status !== 200 && res.status !== 404) throw new Error(`deleteBackupConfiguration ${id} answered ${res.status}`);
    });
  }
  return { config, answer };
}

/** Creates a manual configuration for an agent (a unique name). */
export async function createManualConfiguration(ctx: CapabilityContext, account: Account, agent: AgentInfo, prefix: string): Promise<any> {
  return (await createConfiguration(ctx, account, configurationBody(agent, uniqueName(prefix)))).config;
}

/** Starts a backup of a configuration (waking the agents, retrying 403); answers its id. */
export async function startBackup(
  ctx: CapabilityContext,
  account: Account,
  configurationId: number,
): Promise<{ backupId: number; answer: Answer }> {
  const answer = await ctx.startWithRetry(
    account,
    () => account.api.call("POST", ctx.path(account, "/backup/action-requested"), { body: { Action: "StartManual", Id: configurationId } }),
    `Starting a backup of configuration ${configurationId}`,
  );
  expectStatus(answer, 200, "requestBackupAction StartManual");
  expect(Number.isInteger(answer.body), `requestBackupAction StartManual must answer the backup id, got ${answer.text}`, answer.exchange);
  return { backupId: answer.body as number, answer };
}

export interface FollowedBackup {
  backupId: number;
  final: string;
  states: string[];
  last: Answer;
}

/**
 * Polls a backup until it reaches a terminal state, checking that it never moves backwards
 * through StartRequested, Queued, Preparing, InProgress.
 */
export async function followBackup(ctx: CapabilityContext, account: Account, backupId: number): Promise<FollowedBackup> {
  const states: string[] = [];
  let last: Answer | undefined;
  const final = await ctx.waitFor(`Backup ${backupId} reaching a terminal state`, async () => {
    last = await account.api.call("GET", ctx.path(account, `/backup/${backupId}`));
    expectStatus(last, 200, `getBackup ${backupId}`);
    const state = String((last.body as any)?.CurrentState);
    expect(
      (last.body as any)?.BackupId === backupId,
      `getBackup ${backupId} answered BackupId ${JSON.stringify((last.body as any)?.BackupId)}`,
      last.exchange,
    );
    const previous = states[states.length - 1];
    if (previous !== state) {
      if (previous !== undefined && TERMINAL_BACKUP_STATES.includes(previous)) {
        throw new CheckFailure(`Backup ${backupId} left the terminal state ${previous} for ${state}`, last.exchange);
      }
      if (
        previous !== undefined &&
        !TERMINAL_BACKUP_STATES.includes(state) &&
        BACKUP_ORDER.indexOf(state) < BACKUP_ORDER.indexOf(previous)
      ) {
        throw new CheckFailure(`Backup ${backupId} went back from ${previous} to ${state}`, last.exchange);
      }
      states.push(state);
    }
    return { done: TERMINAL_BACKUP_STATES.includes(state), value: state, state, answer: last };
  });
  return { backupId, final, states, last: last! };
}

/** Runs a backup of a configuration to its end; it must end restorable when `restorable`. */
export async function runBackup(
  ctx: CapabilityContext,
  account: Account,
  configurationId: number,
  restorable = true,
): Promise<FollowedBackup> {
  const { backupId } = await startBackup(ctx, account, configurationId);
  const followed = await followBackup(ctx, account, backupId);
  if (restorable && !RESTORABLE_BACKUP_STATES.includes(followed.final)) {
    throw new CheckFailure(
      `Backup ${backupId} ended ${followed.final}; expected Completed or CompletedWithErrors (states seen: ${followed.states.join(" → ")})`,
      followed.last.exchange,
    );
  }
  return followed;
}

export interface FollowedRestore {
  restoreId: number;
  final: number;
  states: number[];
  last: Answer;
}

/** Polls a restore until it reaches a terminal state, checking that it never moves back in the lifecycle's order. */
export async function followRestore(ctx: CapabilityContext, account: Account, restoreId: number): Promise<FollowedRestore> {
  const states: number[] = [];
  let last: Answer | undefined;
  const final = await ctx.waitFor(`Restore ${restoreId} reaching a terminal state`, async () => {
    last = await account.api.call("GET", ctx.path(account, `/restore/${restoreId}`));
    expectStatus(last, 200, `getRestore ${restoreId}`);
    const state = (last.body as any)?.RestoreStateId as number;
    const previous = states[states.length - 1];
    if (previous !== state) {
      if (previous !== undefined && TERMINAL_RESTORE_STATES.includes(previous)) {
        throw new CheckFailure(`Restore ${restoreId} left the terminal state ${previous} for ${state}`, last.exchange);
      }
      if (
        previous !== undefined &&
        !TERMINAL_RESTORE_STATES.includes(state) &&
        RESTORE_ORDER.indexOf(state) < RESTORE_ORDER.indexOf(previous)
      ) {
        throw new CheckFailure(`Restore ${restoreId} went back from state ${previous} to ${state}`, last.exchange);
      }
      states.push(state);
    }
    return { done: TERMINAL_RESTORE_STATES.includes(state), value: state, state: String(state), answer: last };
  });
  return { restoreId, final, states, last: last! };
}

/** Ids in a list answer. */
export function idsOf(list: unknown, field: string): unknown[] {
  return Array.isArray(list) ? list.map((item: any) => item?.[field]) : [];
}
