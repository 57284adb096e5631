# Backups, restores and cleanups of web2, running and finished.
curl -s http://127.0.0.1:4010/v1.0/1234/system/activity/202743 \
  -H 'X-Auth-Token: demo-token'
