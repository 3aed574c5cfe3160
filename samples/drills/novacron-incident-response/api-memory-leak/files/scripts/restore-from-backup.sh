#!/usr/bin/env bash
# scripts/restore-from-backup.sh (drill copy): a point-in-time restore would start here.
echo "[restore] point-in-time restore requested: $*"
echo "[restore] latest base backup: $(date -u -d '-6 hours' '+%Y-%m-%dT%H:00:00Z' 2>/dev/null || echo 'six hours ago'), WAL available up to now"
echo "[restore] DRY RUN in this drill: nothing restored"
