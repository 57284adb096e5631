import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// The latest backup of "Manual Website Backup" (configuration 180002, on Web Server 213564).
const [latest] = await client.listCompletedBackups({ backupConfigurationId: 180002 });
if (!latest) throw new Error("no completed backup yet");
const restore = await client.createRestore({
  body: { BackupId: latest.BackupId, BackupMachineId: 213564, DestinationMachineId: 213564, DestinationPath: "C:\\Restored", OverwriteFiles: false },
});
await client.addRestoreFile({
  body: { ParentId: restore.RestoreId, Filter: 1, FilePath: "C:\\Websites\\web.config", FileItemType: 0 },
});

// Filter: 1 include, 2 exclude. FileItemType: 0 file, 1 folder, 2 database.
for (const file of await client.listRestoreFiles({ restoreId: restore.RestoreId })) {
  console.log(file.FileId, file.Filter, file.FileItemType, file.FilePath);
}
