# Everything happening on the account. Note the upper-case "ID" of each item.
curl -s http://127.0.0.1:4010/v1.0/1234/activity \
  -H 'X-Auth-Token: demo-token'
