# Move the backups of "Web Server" (213564) to "Web Server2" (213563), for example after
# rebuilding a server. Neither agent may be encrypted; the destination has no configurations.
curl -s -X PUT http://127.0.0.1:4010/v1.0/1234/agent/migratevault \
  -H 'X-Auth-Token: demo-token' \
  -H 'Content-Type: application/json' \
  -d '{"SourceMachineAgentId": 213564, "DestinationMachineAgentId": 213563}'
