# The report of the latest run of the database backup, which could not read some locked files.
BASE=http://127.0.0.1:4010/v1.0/1234
AUTH='X-Auth-Token: demo-token'
BACKUP_ID=$(curl -s "$BASE/backup/completed/180001" -H "$AUTH" | jq '.[0].BackupId')
curl -s "$BASE/backup/report/$BACKUP_ID" -H "$AUTH"
