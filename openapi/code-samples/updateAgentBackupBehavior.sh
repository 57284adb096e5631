# Send web2's backup data over ServiceNet, to its own data center.
curl -s -X POST http://127.0.0.1:4010/v1.0/1234/agent/202743 \
  -H 'X-Auth-Token: demo-token' \
  -H 'Content-Type: application/json' \
  -d '{"BackupDataCenter": "DFW", "UseServiceNet": true}'
