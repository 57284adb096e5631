# Back up web2's /home every day at 2:30 AM US Eastern time, keeping 30 days of versions.
# The answer gives the schedule back in UTC (StartTimeHour 7, "AM" in winter).
curl -s -X POST http://127.0.0.1:4010/v1.0/1234/backup-configuration \
  -H 'X-Auth-Token: demo-token' \
  -H 'Content-Type: application/json' \
  -d '{
    "MachineAgentId": 202743,
    "BackupConfigurationName": "Nightly home folders",
    "IsActive": true,
    "VersionRetention": 30,
    "MissedBackupActionId": 1,
    "Frequency": "Daily",
    "StartTimeHour": 2,
    "StartTimeMinute": 30,
    "StartTimeAmPm": "AM",
    "DayOfWeekId": null,
    "HourInterval": null,
    "TimeZoneId": "Eastern Standard Time",
    "NotifyRecipients": "ops@example.com",
    "NotifySuccess": false,
    "NotifyFailure": true,
    "Inclusions": [{"FilePath": "/home", "FileItemType": "Folder"}],
    "Exclusions": [{"FilePath": "/home/cache", "FileItemType": "Folder"}]
  }'
