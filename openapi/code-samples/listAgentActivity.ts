import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// Backups, restores and cleanups of web2, running and finished.
for (const activity of await client.listAgentActivity({ agentId: 202743 })) {
  console.log(activity.ID, activity.Type, activity.DisplayName, activity.CurrentState);
}
