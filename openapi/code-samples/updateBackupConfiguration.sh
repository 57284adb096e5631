# Move the weekly website backup to Saturdays at 9 PM Eastern and keep 60 days of versions.
# An update sends the whole configuration; leaving out Inclusions or Exclusions keeps them.
# It answers 200 with no body: read the configuration back to see the new schedule in UTC.
BASE=http://127.0.0.1:4010/v1.0/1234
curl -s -X PUT "$BASE/backup-configuration/180000" \
  -H 'X-Auth-Token: demo-token' \
  -H 'Content-Type: application/json' \
  -d '{
    "MachineAgentId": 202743,
    "BackupConfigurationName": "Weekly Website Backup",
    "IsActive": true,
    "VersionRetention": 60,
    "MissedBackupActionId": 1,
    "Frequency": "Weekly",
    "StartTimeHour": 9,
    "StartTimeMinute": 0,
    "StartTimeAmPm": "PM",
    "DayOfWeekId": 6,
    "HourInterval": null,
    "TimeZoneId": "Eastern Standard Time",
    "NotifyRecipients": "webmaster@example.com",
    "NotifySuccess": false,
    "NotifyFailure": true
  }' \
  -w '%{http_code}\n'
curl -s "$BASE/backup-configuration/180000" -H 'X-Auth-Token: demo-token' \
  | jq '{VersionRetention, DayOfWeekId, StartTimeHour, StartTimeAmPm, NextScheduledRunTime}'
