# The backup configurations of one agent (web2).
curl -s http://127.0.0.1:4010/v1.0/1234/backup-configuration/system/202743 \
  -H 'X-Auth-Token: demo-token'
