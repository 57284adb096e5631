# Take a file back out of a restore: its FileId comes from listing the restore's files.
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
FILE_ID=$(curl -s "$BASE/restore/files/$RESTORE_ID" -H "$AUTH" | jq '.[0].FileId')

# The path names the restore file, not the restore. Answers 204.
curl -s -X DELETE "$BASE/restore/files/$FILE_ID" -H "$AUTH" -w '%{http_code}\n'
