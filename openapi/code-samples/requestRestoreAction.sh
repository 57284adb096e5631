# Create a restore of the latest website backup and start it. Starting answers 204; follow
# the restore with getRestore until RestoreStateId is 3 (Completed).
BASE=http://127.0.0.1:4010/v1.0/1234
AUTH='X-Auth-Token: demo-token'
BACKUP_ID=$(curl -s "$BASE/backup/completed/180002" -H "$AUTH" | jq '.[0].BackupId')
RESTORE_ID=$(curl -s -X PUT "$BASE/restore" -H "$AUTH" -H 'Content-Type: application/json' \
  -d "$(jq -n --argjson backup "$BACKUP_ID" '{ BackupId: $backup, BackupMachineId: 213564,
        DestinationMachineId: 213564, DestinationPath: "C:\\Restored", OverwriteFiles: false }')" \
  | jq .RestoreId)

# EncryptedPassword stays null: this backup is not encrypted.
curl -s -X POST "$BASE/restore/action-requested" \
  -H "$AUTH" -H 'Content-Type: application/json' \
  -d "{\"Action\": \"StartManual\", \"Id\": $RESTORE_ID, \"EncryptedPassword\": null}" \
  -w '%{http_code}\n'
curl -s "$BASE/restore/$RESTORE_ID" -H "$AUTH" | jq '{RestoreId, RestoreStateId}'
