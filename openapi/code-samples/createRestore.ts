import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// The latest backup of "Manual Website Backup" (configuration 180002, on Web Server 213564).
const [latest] = await client.listCompletedBackups({ backupConfigurationId: 180002 });
if (!latest) throw new Error("no completed backup yet");

// Restore it to C:\Restored on the same agent. The restore starts in state 0 (Creating).
const restore = await client.createRestore({
  body: {
    BackupId: latest.BackupId,
    BackupMachineId: 213564,
    DestinationMachineId: 213564,
    DestinationPath: "C:\\Restored",
    OverwriteFiles: false,
  },
});
console.log(restore.RestoreId, restore.RestoreStateId, restore.DestinationMachineName);
