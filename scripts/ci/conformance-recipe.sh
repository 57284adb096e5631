#!/usr/bin/env bash
# The shell steps of the GitHub Actions recipe in docs/conformance.md, one "# step:" per `run:`
# of the job, in a project where @cloud-backup/reference-server and @cloud-backup/conformance
# are installed. packages/release-checks/test/tarballs.test.ts runs it in a fresh project
# (arguments after the script go to the kit) and checks that the docs show the same lines.
set -euo pipefail
PORT=${PORT:-4010}

# step: Start the reference server in the background
# (the installed bin itself, not through npx, so that server.pid is the server's own pid)
node_modules/.bin/cloud-backup-server --port "$PORT" --clock-speed 100 --quiet > server.log 2>&1 &
echo $! > server.pid

# step: Wait until it answers
for i in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:$PORT/__admin/health" > /dev/null; then break; fi
  if [ "$i" = 60 ]; then cat server.log; exit 1; fi
  sleep 1
done

# step: Run the conformance kit
npx -p @cloud-backup/conformance cloud-backup-conformance --base-url "http://127.0.0.1:$PORT" --token demo-token --tenant 1234 --admin-url "http://127.0.0.1:$PORT" --report-junit reports/conformance.xml "$@"

# step: Stop the reference server
kill "$(cat server.pid)"
