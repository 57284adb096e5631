# One entry per configuration that has a backup to restore, with the agent's key.
curl -s http://127.0.0.1:4010/v1.0/1234/backup/availableforrestore \
  -H 'X-Auth-Token: demo-token'
