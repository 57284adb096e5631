import { createBackupClient } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// Everything happening on the account. Note the upper-case ID of each item.
const activities = await client.listActivity();
for (const activity of activities.slice(0, 5)) {
  console.log(activity.ID, activity.Type, activity.DisplayName, activity.CurrentState);
}
