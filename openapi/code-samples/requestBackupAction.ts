import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// Start the "Manual Website Backup" (configuration 180002) now, then stop that run.
// Starting answers the new backup's id; the client retries the transient 403 of an agent
// that is still waking up.
const backupId = await client.requestBackupAction({ body: { Action: "StartManual", Id: 180002 } });
console.log("started backup", backupId);
await client.requestBackupAction({ body: { Action: "StopManual", Id: backupId } });
const backup = await client.getBackup({ backupId });
console.log(backup.CurrentState); // StopRequested, then Stopped
