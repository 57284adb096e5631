# Disable web2 (scheduled runs are then Missed), then enable it again. Both answer 204.
for enable in false true; do
  curl -s -X POST http://127.0.0.1:4010/v1.0/1234/agent/enable \
    -H 'X-Auth-Token: demo-token' \
    -H 'Content-Type: application/json' \
    -d "{\"MachineAgentId\": 202743, \"Enable\": $enable}" \
    -w '%{http_code}\n'
done
