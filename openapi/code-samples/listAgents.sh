# Every agent of the account. Status here may be stale: read one agent for its live status.
curl -s http://127.0.0.1:4010/v1.0/1234/user/agents \
  -H 'X-Auth-Token: demo-token'
