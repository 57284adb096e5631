/**
 * The getting-started flow of the Cloud Backup reference, end to end: list the agents, wake
 * them, create a backup configuration, run it, read its report, restore a folder to another
 * agent and read the restore report.
 *
 * Against the toolkit's reference server (`npm start`):
 *
 *     npm run example -w @cloud-backup/client
 *
 * Environment:
 *   CLOUD_BACKUP_URL        API base URL (default http://127.0.0.1:4010)
 *   CLOUD_BACKUP_TOKEN      X-Auth-Token (default demo-token)
 *   CLOUD_BACKUP_TENANT     account id (default 1234)
 *   CLOUD_BACKUP_ADMIN_URL  the reference server's control API, used to move its virtual clock
 *                           forward while waiting (default: CLOUD_BACKUP_URL; set it to the
 *                           empty string to wait in real time, as against the real service)
 *   CLOUD_BACKUP_ADMIN_TOKEN  X-Admin-Token for the control API, when the server requires one
 */
import { BackupApiError, createBackupClient, parseMsDate, restoreStateName, type Schemas } from "@cloud-backup/client";

const baseUrl = process.env.CLOUD_BACKUP_URL ?? "http://127.0.0.1:4010";
const token = process.env.CLOUD_BACKUP_TOKEN ?? "demo-token";
const tenantId = process.env.CLOUD_BACKUP_TENANT ?? "1234";
const adminUrl = process.env.CLOUD_BACKUP_ADMIN_URL ?? baseUrl;

const SOURCE_AGENT = 202743; // Linux "web2"
const DESTINATION_AGENT = 213564; // Windows "Web Server"
const VIRTUAL_STEP_SECONDS = 5;

const client = createBackupClient({ baseUrl, token, tenantId });

/** Moves the reference server's virtual clock forward between polls, so waits take no real time. */
async function advanceClock(): Promise<void> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (process.env.CLOUD_BACKUP_ADMIN_TOKEN) headers["X-Admin-Token"] = process.env.CLOUD_BACKUP_ADMIN_TOKEN;
  const response = await fetch(`${adminUrl}/__admin/clock/advance`, {
    method: "POST",
    headers,
    body: JSON.stringify({ seconds: VIRTUAL_STEP_SECONDS }),
  });
  if (!response.ok) throw new Error(`The control API answered ${response.status}: ${await response.text()}`);
}

/** With the control API: short real pauses, virtual time moved by `tick`. Without: real waiting. */
const polling = adminUrl ? { pollMs: 100, tick: advanceClock } : { pollMs: 5_000 };

const when = (date: Schemas["NullableMsDate"]) => parseMsDate(date)?.toISOString() ?? "never";
let step = 0;
const say = (text: string) => console.log(`${++step}. ${text}`);

async function main(): Promise<void> {
  console.log(`Cloud Backup walkthrough against ${baseUrl} (tenant ${tenantId})\n`);

  const agents = await client.listAgents();
  say(`The account has ${agents.length} agents:`);
  for (const agent of agents)
    console.log(
      `     ${String(agent.MachineAgentId).padEnd(7)} ${agent.MachineName.padEnd(16)} ${agent.OperatingSystem.padEnd(20)} ${agent.Datacenter}${agent.IsEncrypted ? "  (encrypted)" : ""}`,
    );

  const source = await client.wakeAgent(SOURCE_AGENT, polling);
  say(`Woke the agents; ${source.MachineName} (${source.MachineAgentId}) is ${source.Status}.`);

  const name = `Walkthrough ${new Date().toISOString()}`;
  const config = await client.createBackupConfiguration({
    body: {
      BackupConfigurationName: name,
      MachineAgentId: SOURCE_AGENT,
      IsActive: true,
      VersionRetention: 30,
      MissedBackupActionId: 1,
      Frequency: "Weekly",
      StartTimeHour: 7,
      StartTimeMinute: 30,
      StartTimeAmPm: "PM",
      DayOfWeekId: 5,
      HourInterval: null,
      TimeZoneId: "Eastern Standard Time",
      NotifyRecipients: "ops@example.com",
      NotifySuccess: true,
      NotifyFailure: true,
      Inclusions: [{ FilePath: "/var/www/html", FileItemType: "Folder" }],
      Exclusions: [{ FilePath: "/var/www/html/uploads", FileItemType: "Folder" }],
    },
  });
  say(
    `Created configuration ${config.BackupConfigurationId} "${config.BackupConfigurationName}": ${config.Frequency}, ` +
      `Fridays 7:30 PM Eastern, stored as ${config.StartTimeHour}:${String(config.StartTimeMinute).padStart(2, "0")} ${config.StartTimeAmPm} UTC; next run ${when(config.NextScheduledRunTime)}.`,
  );

  const backupId = await client.requestBackupAction({ body: { Action: "StartManual", Id: config.BackupConfigurationId } });
  say(`Started backup ${backupId}.`);

  let lastState = "";
  const backup = await client.waitForBackup(backupId, {
    ...polling,
    timeoutMs: 600_000,
    onProgress: (b) => {
      if (b.CurrentState !== lastState) console.log(`     backup ${backupId}: ${(lastState = b.CurrentState)}`);
    },
  });
  say(`Backup ${backupId} ended ${backup.CurrentState}.`);

  const report = await client.getBackupReport({ backupId });
  say(
    `Backup report: ${report.FilesBackedUp} of ${report.FilesSearched} files (${report.BytesBackedUp} of ${report.BytesSearched}) in ${report.Duration}, ` +
      `${report.NumErrors} error(s), started ${when(report.StartTime)}.`,
  );
  for (const error of report.ErrorList) console.log(`     could not back up ${error.Path}: ${error.ErrorDesc}`);

  const destination = await client.wakeAgent(DESTINATION_AGENT, polling);
  const restore = await client.createRestore({
    body: {
      BackupId: backupId,
      BackupMachineId: SOURCE_AGENT,
      DestinationMachineId: DESTINATION_AGENT,
      DestinationPath: "C:\\Restored",
      OverwriteFiles: false,
    },
  });
  await client.addRestoreFile({
    body: { FilePath: "/var/www/html", Filter: "Include", FileItemType: "Folder", ParentId: restore.RestoreId },
  });
  const files = await client.listRestoreFiles({ restoreId: restore.RestoreId });
  say(
    `Prepared restore ${restore.RestoreId} of /var/www/html to ${destination.MachineName} (${DESTINATION_AGENT}) at C:\\Restored (${files.length} item included).`,
  );

  await client.requestRestoreAction({ body: { Action: "StartManual", Id: restore.RestoreId } });
  say(`Started restore ${restore.RestoreId}.`);

  let lastRestoreState = -1;
  const finished = await client.waitForRestore(restore.RestoreId, {
    ...polling,
    timeoutMs: 600_000,
    onProgress: (r) => {
      if (r.RestoreStateId !== lastRestoreState)
        console.log(`     restore ${restore.RestoreId}: ${restoreStateName((lastRestoreState = r.RestoreStateId))}`);
    },
  });
  say(`Restore ${finished.RestoreId} ended in state ${finished.RestoreStateId} (${restoreStateName(finished.RestoreStateId)}).`);

  const restoreReport = await client.getRestoreReport({ restoreId: restore.RestoreId });
  say(
    `Restore report: ${restoreReport.NumFilesRestored} files (${restoreReport.NumBytesRestored}) restored to ${restoreReport.RestoreDestination} in ${restoreReport.Duration}, ` +
      `${restoreReport.NumErrors} error(s), state ${restoreReport.State}.`,
  );
  for (const error of restoreReport.ErrorList) console.log(`     could not restore ${error.Path}: ${error.ErrorDesc}`);
}

main().catch((error: unknown) => {
  if (error instanceof BackupApiError) {
    console.error(
      `\n${error.operationId} failed with ${error.status}: ${error.problem?.detail ?? error.message} (request ${error.requestId ?? "?"})`,
    );
    for (const field of error.problem?.errors ?? []) console.error(`  ${field.in} ${field.pointer ?? field.name ?? ""}: ${field.message}`);
  } else {
    console.error(error);
  }
  process.exitCode = 1;
});
