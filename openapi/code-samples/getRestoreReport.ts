import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

const report = await client.getRestoreReport({ restoreId: 20000 });
console.log(report.State, report.NumFilesRestored, report.NumBytesRestored, report.NumErrors);
