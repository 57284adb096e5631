# Send a restore to another agent: create it for Web Server, then point it at Web Server2
# (213563) before starting it. Only a restore in state 0 (Creating) can be changed.
BASE=http://127.0.0.1:4010/v1.0/1234
AUTH='X-Auth-Token: demo-token'
BACKUP_ID=$(curl -s "$BASE/backup/completed/180002" -H "$AUTH" | jq '.[0].BackupId')
RESTORE=$(curl -s -X PUT "$BASE/restore" -H "$AUTH" -H 'Content-Type: application/json' \
  -d "$(jq -n --argjson backup "$BACKUP_ID" '{ BackupId: $backup, BackupMachineId: 213564,
        DestinationMachineId: 213564, DestinationPath: "C:\\Restored", OverwriteFiles: false }')")

# The update sends the whole restore; start from the answer and change what differs. Answers 204.
curl -s -X POST "$BASE/restore" \
  -H "$AUTH" -H 'Content-Type: application/json' \
  -d "$(echo "$RESTORE" | jq '{ RestoreId, BackupId, BackupMachineId, BackupConfigurationId,
        RestoreStateId, OverwriteFiles, DestinationMachineId: 213563,
        DestinationPath: "C:\\Restored from Web Server" }')" \
  -w '%{http_code}\n'
