#!/usr/bin/env bash
# Arbitration drill "backend-db-connections": the backend container crash-loops because PostgreSQL is out
# of connections (a stuck analytics job); Alertmanager, Prometheus and the backend API answer on one
# loopback port; the compose stack, the repository and its scripts live under $DRILL_STATE.
set -euo pipefail
. "${DRILL_COMMON:?not in a drill}/lib.sh"
S=$DRILL_STATE
R=$S/opt/arbitration-detector
mkdir -p "$R"/demo/{production,scripts,nginx/ssl} "$S/dev" "$S/backup"
command -v git >/dev/null || { echo "this drill needs git" >&2; exit 1; }

# --- the repository ---
cp "$DRILL_SCENARIO/files/docker-compose.prod.yml" "$R/demo/production/docker-compose.prod.yml"
cp "$DRILL_SCENARIO/files/health-check.sh" "$R/demo/scripts/health-check.sh"
cp "$DRILL_SCENARIO/files/rollback.sh" "$R/demo/scripts/rollback.sh"
cp "$DRILL_SCENARIO/files/generate.sh" "$R/demo/nginx/ssl/generate.sh"
chmod +x "$R"/demo/scripts/*.sh "$R/demo/nginx/ssl/generate.sh"
g() { GIT_CONFIG_NOSYSTEM=1 HOME="$S" git -C "$R" -c user.name="Dana Ops" -c user.email=dana@company.com -c init.defaultBranch=main "$@"; }
at() { GIT_AUTHOR_DATE="$(ts_ago "$1" '%Y-%m-%dT%H:%M:%S')" GIT_COMMITTER_DATE="$(ts_ago "$1" '%Y-%m-%dT%H:%M:%S')" "${@:2}"; }
g init -q
printf 'ANALYTICS_JOB=disabled\n' > "$R/demo/production/backend.env"
g add -A; at 259200 g commit -q -m "Pin asyncpg 0.29 and pool size 20"
printf 'ANALYTICS_JOB=nightly\nANALYTICS_CONNECTION_PER_MARKET=true\n' > "$R/demo/production/backend.env"
g add -A; at 2400 g commit -q -m "Add nightly arbitrage analytics job (one connection per market)"

# --- a certificate that expires in 5 days (openssl x509 -dates shows it) ---
if command -v openssl >/dev/null; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 5 -subj "/CN=arbitration.drill.test" \
    -keyout "$R/demo/nginx/ssl/app.key" -out "$R/demo/nginx/ssl/app.crt" >/dev/null 2>&1 || true
fi
state_set cert.domain arbitration.drill.test
state_set cert.expiry "$(( $(now_s) + 5 * 86400 ))"
head -c 65536 /dev/zero > "$S/dev/sda"

# --- the compose stack ---
compose_init backend restarting arbitration-backend-prod arbitration/backend:1.8.3 "uvicorn app.main:app --host 0.0.0.0 --port 8000" "0.0.0.0:8000->8000/tcp"
state_set compose.backend.exitcode 3
state_set compose.backend.stats "0.00%|0B / 0B|0.00%|0"
compose_init postgres running arbitration-postgres-prod postgres:15-alpine "docker-entrypoint.sh postgres" "5432/tcp"
state_set compose.postgres.health healthy
state_set compose.postgres.stats "87.31%|1.92GiB / 3.84GiB|50.01%|104"
compose_init nginx running arbitration-nginx-prod nginx:1.25-alpine "/docker-entrypoint.sh nginx -g 'daemon off;'" "0.0.0.0:80->80/tcp, 0.0.0.0:443->443/tcp"
compose_init redis running arbitration-redis-prod redis:7-alpine "docker-entrypoint.sh redis-server" "6379/tcp"
compose_init prometheus running arbitration-prometheus-prod prom/prometheus:v2.48.0 "/bin/prometheus --config.file=/etc/prometheus/prometheus.yml" "0.0.0.0:9090->9090/tcp"
compose_init alertmanager running arbitration-alertmanager-prod prom/alertmanager:v0.26.0 "/bin/alertmanager --config.file=/etc/alertmanager/config.yml" "0.0.0.0:9093->9093/tcp"
compose_init grafana running arbitration-grafana-prod grafana/grafana:10.2.2 "/run.sh" "0.0.0.0:3001->3000/tcp"
compose_init loki running arbitration-loki-prod grafana/loki:2.9.2 "/usr/bin/loki -config.file=/etc/loki/local-config.yaml" "0.0.0.0:3100->3100/tcp"
state_set db.stuck yes
state_set db.max_connections 100

t() { ts_ago "$1" '%Y-%m-%d %H:%M:%S'; }
for a in 470 390 310 230 150 70 20; do
  container_log backend "INFO:     Started server process [1]"
  container_log backend "INFO:     Waiting for application startup."
  container_log backend "ERROR:    Traceback (most recent call last):"
  container_log backend "  File \"/app/app/db.py\", line 41, in init_pool"
  container_log backend "    pool = await asyncpg.create_pool(settings.DATABASE_URL, min_size=5, max_size=20)"
  container_log backend "asyncpg.exceptions.TooManyConnectionsError: sorry, too many clients already"
  container_log backend "ERROR:    Application startup failed. Exiting."
done
container_log postgres "$(t 3000) UTC [1] LOG:  database system is ready to accept connections"
for a in 520 460 400 330 250 170 90 25; do
  container_log postgres "$(t $a) UTC [$((RANDOM % 900 + 100))] FATAL:  sorry, too many clients already"
done
container_log postgres "$(t 1500) UTC [4242] LOG:  duration: 1500012.331 ms  statement: SELECT m.symbol, avg(p.spread) FROM markets m JOIN prices p USING (market_id) GROUP BY 1"
for ip in 198.51.100.23 198.51.100.23 198.51.100.23 203.0.113.99 203.0.113.99 192.0.2.10; do
  container_log nginx "$ip - - [$(ts_ago $((RANDOM % 600)) '%d/%b/%Y:%H:%M:%S +0000')] \"GET /api/v1/opportunities HTTP/1.1\" 502 157 \"-\" \"python-requests/2.31\""
done
container_log nginx "$(t 480) [error] 29#29: *1841 connect() failed (111: Connection refused) while connecting to upstream, client: 198.51.100.23, server: arbitration-detector.com, request: \"GET /api/v1/opportunities HTTP/1.1\", upstream: \"http://172.20.0.5:8000/api/v1/opportunities\""

state_set service.unit backend
service_start "uvicorn app.main:app --host 0.0.0.0 --port 8000"
drill_export PORT "$(state_get port)"
drill_export SILENCE_START "$(ts_ago 0 '%Y-%m-%dT%H:%M:%SZ')"
drill_export SILENCE_END "$(ts_ago -3600 '%Y-%m-%dT%H:%M:%SZ')"
echo "arbitration.drill.test $(state_get port)" > "$S/state/hosts.map"
echo "Arbitration drill ready: backend crash-looping (PostgreSQL out of connections); API on 127.0.0.1:$(state_get port)"
