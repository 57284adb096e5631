# Raise web2's log level to Debug (5). The service documents a form body; JSON works too.
curl -s -X PUT http://127.0.0.1:4010/v1.0/1234/agent/logging \
  -H 'X-Auth-Token: demo-token' \
  -H 'Content-Type: application/x-www-form-urlencoded' \
  -d 'MachineAgentId=202743&LoggingLevelId=5' \
  -w '%{http_code}\n'
