# The latest completed backup of the weekly website configuration, then its details.
BASE=http://127.0.0.1:4010/v1.0/1234
AUTH='X-Auth-Token: demo-token'
BACKUP_ID=$(curl -s "$BASE/backup/completed/180000" -H "$AUTH" | jq '.[0].BackupId')
curl -s "$BASE/backup/$BACKUP_ID" -H "$AUTH"
