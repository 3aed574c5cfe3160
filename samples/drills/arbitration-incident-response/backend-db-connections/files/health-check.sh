#!/usr/bin/env bash
# demo/scripts/health-check.sh (drill copy): checks the stack the way the real script does.
verbose=""; [ "${1-}" = -v ] && verbose=1
echo "=== Arbitration Detection System health check ($(date -u '+%Y-%m-%d %H:%M:%S UTC')) ==="
rc=0
code=$(curl -s -o /dev/null -w '%{http_code}' -m 5 "${BACKEND_URL:-http://localhost:8000}/health")
if [ "$code" = 200 ]; then echo "✔ backend: healthy (HTTP 200)"; else echo "✘ backend: DOWN (HTTP $code)"; rc=1; fi
for s in postgres redis nginx prometheus alertmanager grafana loki; do
  if docker-compose ps "$s" 2>/dev/null | grep -q " Up"; then echo "✔ $s: up"; else echo "✘ $s: not running"; rc=1; fi
done
if [ -n "$verbose" ]; then
  echo "--- containers ---"; docker-compose ps
  echo "--- active alerts ---"; curl -s -m 5 "${ALERTMANAGER_URL:-http://localhost:9093}/api/v2/alerts" | grep -o '"alertname": *"[A-Za-z]*"' | sort -u
fi
exit $rc
