#!/usr/bin/env bash
# NovaCron drill "api-memory-leak": the API deployment leaks memory and its pods are OOMKilled; the
# bastion's CLIs (kubectl, novacron, psql, redis-cli, aws) are stand-ins reading drill state, and the
# NovaCron HTTPS endpoints (api., internal., metrics., analytics., alerts.novacron.io) answer from the
# drill's local service through the curl stand-in.
set -euo pipefail
. "${DRILL_COMMON:?not in a drill}/lib.sh"
S=$DRILL_STATE
OPS=$S/opt/novacron-ops
mkdir -p "$OPS/scripts" "$S/incidents"
cp "$DRILL_SCENARIO"/files/scripts/*.sh "$OPS/scripts/"
chmod +x "$OPS"/scripts/*.sh

state_set k8s.context prod-us-east-1
state_set api.pods leaking
state_set api.version v10.4.2
state_set api.previous v10.4.1
state_set mode normal
state_set breaker closed
state_set cache.hit 97.8
t() { ts_ago "$1" '%Y-%m-%dT%H:%M:%SZ'; }
for a in 3100 2400 1700 1100 600 240; do
  journal novacron-api "$(t $a) ERROR api-7d9f8c6b5-$(printf '%05x' $((RANDOM))) schedule-diff cache size=$((900 + a % 97))MiB: OOMKilled (limit 1Gi), restarting"
done
for a in 900 700 500 300 120 60; do
  journal novacron-api "$(t $a) ERROR gateway upstream novacron-api: 503 Service Unavailable (no healthy endpoints) path=/v1/schedules/update"
done

state_set service.unit novacron-api
service_start "novacron-drill-endpoints"
port=$(state_get port)
{
  for h in api.novacron.io internal.novacron.io metrics.novacron.io analytics.novacron.io alerts.novacron.io; do echo "$h $port"; done
} > "$S/state/hosts.map"
drill_export PORT "$port"
drill_export INCIDENT_TIME "$(ts_ago 7200 '%Y-%m-%dT%H:%M:%SZ')"
echo "NovaCron drill ready: novacron-api pods OOMKilled (v10.4.2); endpoints on 127.0.0.1:$port"
