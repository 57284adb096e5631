# The seeded restore of the manual website backup (completed yesterday).
curl -s http://127.0.0.1:4010/v1.0/1234/restore/20000 \
  -H 'X-Auth-Token: demo-token'
