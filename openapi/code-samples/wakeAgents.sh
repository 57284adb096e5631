# Wake every agent of the account, then wait until the idle one (213563) is Online.
BASE=http://127.0.0.1:4010/v1.0/1234
AUTH='X-Auth-Token: demo-token'
curl -s -X POST "$BASE/user/wakeupagents" -H "$AUTH" -w '%{http_code}\n'

for attempt in $(seq 1 30); do
  STATUS=$(curl -s "$BASE/agent/213563" -H "$AUTH" | jq -r .Status)
  echo "agent 213563: $STATUS"
  [ "$STATUS" = Online ] && break
  sleep 2
done
