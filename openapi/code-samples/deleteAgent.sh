# Remove the idle agent "Web Server2" from the account. Answers 204.
curl -s -X POST http://127.0.0.1:4010/v1.0/1234/agent/delete \
  -H 'X-Auth-Token: demo-token' \
  -H 'Content-Type: application/json' \
  -d '{"MachineAgentId": 213563}' \
  -w '%{http_code}\n'
