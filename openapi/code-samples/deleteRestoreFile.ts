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

// Take the file back out. The path parameter names the restore file (its FileId), not the restore.
const [file] = await client.listRestoreFiles({ restoreId: restore.RestoreId });
if (!file?.FileId) throw new Error("the file has no id");
await client.deleteRestoreFile({ restoreId: file.FileId });
console.log(await client.listRestoreFiles({ restoreId: restore.RestoreId })); // []
