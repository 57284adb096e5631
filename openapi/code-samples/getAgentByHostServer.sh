# The agent of a Cloud Server, by the server's id (a UUID).
curl -s http://127.0.0.1:4010/v1.0/1234/agent/server/87c3b6e1-fb1a-41f9-91e5-313ae35a5a06 \
  -H 'X-Auth-Token: demo-token'
