import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// The latest backup of "Manual Website Backup" (configuration 180002, on Web Server 213564).
const [latest] = await client.listCompletedBackups({ backupConfigurationId: 180002 });
if (!latest) throw new Error("no completed backup yet");
const restore = await client.createRestore({
  body: { BackupId: latest.BackupId, BackupMachineId: 213564, DestinationMachineId: 213564, DestinationPath: "C:\\Restored", OverwriteFiles: false },
});

// Restore only C:\Websites, but not its Logs folder. Without any inclusion, a restore brings
// back everything in the backup.
await client.addRestoreFile({
  body: { ParentId: restore.RestoreId, Filter: "Include", FilePath: "C:\\Websites", FileItemType: "Folder" },
});
await client.addRestoreFile({
  body: { ParentId: restore.RestoreId, Filter: "Exclude", FilePath: "C:\\Websites\\Logs", FileItemType: "Folder" },
});
