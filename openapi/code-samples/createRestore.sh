# Restore the latest backup of "Manual Website Backup" (configuration 180002, on Web Server
# 213564) to C:\Restored on the same agent. The restore starts in state 0 (Creating).
BASE=http://127.0.0.1:4010/v1.0/1234
AUTH='X-Auth-Token: demo-token'
BACKUP_ID=$(curl -s "$BASE/backup/completed/180002" -H "$AUTH" | jq '.[0].BackupId')

curl -s -X PUT "$BASE/restore" \
  -H "$AUTH" -H 'Content-Type: application/json' \
  -d "$(jq -n --argjson backup "$BACKUP_ID" '{
        BackupId: $backup, BackupMachineId: 213564,
        DestinationMachineId: 213564, DestinationPath: "C:\\Restored",
        OverwriteFiles: false }')"
