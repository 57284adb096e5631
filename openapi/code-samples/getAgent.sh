curl -s http://127.0.0.1:4010/v1.0/1234/agent/213564 \
  -H 'X-Auth-Token: demo-token'
