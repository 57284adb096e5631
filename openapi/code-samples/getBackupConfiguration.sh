# The seeded "Weekly Website Backup" of web2.
curl -s http://127.0.0.1:4010/v1.0/1234/backup-configuration/180000 \
  -H 'X-Auth-Token: demo-token'
