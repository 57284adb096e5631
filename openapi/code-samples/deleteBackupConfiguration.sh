# After a delete the configuration stops running and leaves the list; reading it by id answers 404.
BASE=http://127.0.0.1:4010/v1.0/1234
curl -s -X DELETE "$BASE/backup-configuration/180002" -H 'X-Auth-Token: demo-token' -w '%{http_code}\n'
curl -s "$BASE/backup-configuration" -H 'X-Auth-Token: demo-token' | jq '[.[].BackupConfigurationId]'
