import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// The latest backup of "Manual Website Backup" (configuration 180002, on Web Server 213564).
const [latest] = await client.listCompletedBackups({ backupConfigurationId: 180002 });
if (!latest) throw new Error("no completed backup yet");
const restore = await client.createRestore({
  body: { BackupId: latest.BackupId, BackupMachineId: 213564, DestinationMachineId: 213564, DestinationPath: "C:\\Restored", OverwriteFiles: false },
});

// Start it. EncryptedPassword stays null: this backup is not encrypted.
await client.requestRestoreAction({ body: { Action: "StartManual", Id: restore.RestoreId, EncryptedPassword: null } });
const started = await client.getRestore({ restoreId: restore.RestoreId });
console.log(started.RestoreId, started.RestoreStateId); // 6 (StartRequested), later 3 (Completed)
