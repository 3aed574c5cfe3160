#!/usr/bin/env bash
# demo/scripts/rollback.sh (drill copy): --type application checks out the previous commit and redeploys the backend.
type=application
while [ $# -gt 0 ]; do case "$1" in --type) type=$2; shift 2 ;; *) shift ;; esac; done
cd "$(dirname "$0")/../.." || exit 1
echo "[rollback] type=$type, current: $(git log -1 --oneline)"
git checkout -q HEAD~1 || exit 1
echo "[rollback] now at: $(git log -1 --oneline)"
grep -q 'ANALYTICS_JOB=disabled' demo/production/backend.env && . "$DRILL_COMMON/lib.sh" && state_set db.stuck no
docker-compose -f demo/production/docker-compose.prod.yml up -d backend
echo "[rollback] done"
