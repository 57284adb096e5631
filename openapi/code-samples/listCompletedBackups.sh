# Finished runs of the weekly website backup (Completed, CompletedWithErrors, Failed, ...).
curl -s http://127.0.0.1:4010/v1.0/1234/backup/completed/180000 \
  -H 'X-Auth-Token: demo-token'
