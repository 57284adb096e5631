# Restore only C:\Websites, but not its Logs folder. Without any inclusion, a restore brings
# back everything in the backup.
BASE=http://127.0.0.1:4010/v1.0/1234
AUTH='X-Auth-Token: demo-token'
BACKUP_ID=$(curl -s "$BASE/backup/completed/180002" -H "$AUTH" | jq '.[0].BackupId')
RESTORE_ID=$(curl -s -X PUT "$BASE/restore" -H "$AUTH" -H 'Content-Type: application/json' \
  -d "$(jq -n --argjson backup "$BACKUP_ID" '{ BackupId: $backup, BackupMachineId: 213564,
        DestinationMachineId: 213564, DestinationPath: "C:\\Restored", OverwriteFiles: false }')" \
  | jq .RestoreId)

for rule in 'Include C:\Websites' 'Exclude C:\Websites\Logs'; do
  curl -s -X PUT "$BASE/restore/files" \
    -H "$AUTH" -H 'Content-Type: application/json' \
    -d "$(jq -n --argjson restore "$RESTORE_ID" --arg filter "${rule%% *}" --arg path "${rule#* }" \
          '{ ParentId: $restore, Filter: $filter, FilePath: $path, FileItemType: "Folder" }')" \
    -w '%{http_code}\n'
done
