# Start the "Manual Website Backup" (configuration 180002) now, then stop that run.
BASE=http://127.0.0.1:4010/v1.0/1234
AUTH='X-Auth-Token: demo-token'

# Starting answers the new backup's id as a bare number.
BACKUP_ID=$(curl -s -X POST "$BASE/backup/action-requested" \
  -H "$AUTH" -H 'Content-Type: application/json' \
  -d '{"Action": "StartManual", "Id": 180002}')
echo "started backup $BACKUP_ID"

# Stopping takes the backup id and answers 204.
curl -s -X POST "$BASE/backup/action-requested" \
  -H "$AUTH" -H 'Content-Type: application/json' \
  -d "{\"Action\": \"StopManual\", \"Id\": $BACKUP_ID}" \
  -w '%{http_code}\n'
