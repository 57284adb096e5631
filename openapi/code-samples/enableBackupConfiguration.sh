# Pause the weekly website backup: it stays, but no scheduled run happens until enabled again.
curl -s -X POST http://127.0.0.1:4010/v1.0/1234/backup-configuration/enable/180000 \
  -H 'X-Auth-Token: demo-token' \
  -H 'Content-Type: application/json' \
  -d '{"Enable": false}'
