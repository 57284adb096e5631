import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// The latest backup of "Manual Website Backup" (configuration 180002, on Web Server 213564).
const [latest] = await client.listCompletedBackups({ backupConfigurationId: 180002 });
if (!latest) throw new Error("no completed backup yet");
const restore = await client.createRestore({
  body: { BackupId: latest.BackupId, BackupMachineId: 213564, DestinationMachineId: 213564, DestinationPath: "C:\\Restored", OverwriteFiles: false },
});

// Send it to another agent, Web Server2 (213563), before starting it. The update sends the
// whole restore; only a restore in state 0 (Creating) can be changed.
await client.updateRestore({
  body: {
    RestoreId: restore.RestoreId,
    BackupId: restore.BackupId,
    BackupMachineId: restore.BackupMachineId,
    BackupConfigurationId: restore.BackupConfigurationId,
    RestoreStateId: restore.RestoreStateId,
    OverwriteFiles: restore.OverwriteFiles,
    DestinationMachineId: 213563,
    DestinationPath: "C:\\Restored from Web Server",
  },
});
const updated = await client.getRestore({ restoreId: restore.RestoreId });
console.log(updated.DestinationMachineName, updated.DestinationPath);
