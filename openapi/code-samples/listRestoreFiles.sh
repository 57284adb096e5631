# The files chosen for a restore, each with its FileId (Filter: 1 include, 2 exclude;
# FileItemType: 0 file, 1 folder, 2 database).
BASE=http://127.0.0.1:4010/v1.0/1234
AUTH='X-Auth-Token: demo-token'
BACKUP_ID=$(curl -s "$BASE/backup/completed/180002" -H "$AUTH" | jq '.[0].BackupId')
RESTORE_ID=$(curl -s -X PUT "$BASE/restore" -H "$AUTH" -H 'Content-Type: application/json' \
  -d "$(jq -n --argjson backup "$BACKUP_ID" '{ BackupId: $backup, BackupMachineId: 213564,
        DestinationMachineId: 213564, DestinationPath: "C:\\Restored", OverwriteFiles: false }')" \
  | jq .RestoreId)
curl -s -X PUT "$BASE/restore/files" -H "$AUTH" -H 'Content-Type: application/json' \
  -d "$(jq -n --argjson restore "$RESTORE_ID" \
        '{ ParentId: $restore, Filter: 1, FilePath: "C:\\Websites\\web.config", FileItemType: 0 }')"

curl -s "$BASE/restore/files/$RESTORE_ID" -H "$AUTH"
