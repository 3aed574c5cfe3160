#!/usr/bin/env bash
# SME ERP drill "replica-failure" (the runbook's Drill #1): postgres-replica exited, exports and reports
# fail, the primary is healthy; the app answers on a loopback port (APP_URL).
set -euo pipefail
. "${DRILL_COMMON:?not in a drill}/lib.sh"
S=$DRILL_STATE
ERP=$S/opt/sme-erp
mkdir -p "$ERP"
cat > "$ERP/docker-compose.yml" <<'YML'
# drill copy (the stand-in docker-compose reads drill state, not this file)
services:
  app: { image: sme-erp/app:3.2.0, ports: ["8000:8000"], environment: [DATABASE_URL, READ_REPLICA_URL] }
  postgres: { image: postgres:15 }
  postgres-replica: { image: postgres:15, command: ["postgres", "-c", "hot_standby=on"] }
YML
compose_init app running sme-erp_app_1 sme-erp/app:3.2.0 "gunicorn app.main:app -k uvicorn.workers.UvicornWorker" "0.0.0.0:8000->8000/tcp"
state_set compose.app.stats "38.20%|1.31GiB / 2GiB|65.50%|14"
compose_init postgres running sme-erp_postgres_1 postgres:15 "docker-entrypoint.sh postgres" "5432/tcp"
state_set compose.postgres.stats "4.10%|402.3MiB / 2GiB|19.64%|23"
compose_init postgres-replica exited sme-erp_postgres-replica_1 postgres:15 "docker-entrypoint.sh postgres -c hot_standby=on" "5433/tcp"
state_set compose.postgres-replica.exitcode 137
state_set unit.postgres-replica.since "$(( $(now_s) - 1260 ))"
state_set app.reads replica
state_set app.memory normal
unit_init nginx active "A high performance web server and a reverse proxy server" "" 604800
state_set unit.nginx.exe nginx; state_set unit.nginx.pid 911
state_set unit.nginx.cmdline '"nginx: master process /usr/sbin/nginx -g daemon on; master_process on;"'
journal nginx 604800 "systemd[1]: Started A high performance web server and a reverse proxy server."

t() { ts_ago "$1" '%Y-%m-%d %H:%M:%S'; }
container_log postgres "$(t 86400) UTC [1] LOG:  database system is ready to accept connections"
container_log postgres "$(t 1300) UTC [2211] LOG:  replication connection authorized: user=replicator application_name=walreceiver"
container_log postgres "$(t 1262) UTC [2211] LOG:  could not receive data from client: Connection reset by peer"
container_log postgres "$(t 1262) UTC [2211] LOG:  unexpected EOF on standby connection"
container_log postgres-replica "$(t 1400) UTC [1] LOG:  started streaming WAL from primary at 3/A1000000 on timeline 1"
container_log postgres-replica "$(t 1265) UTC [57] LOG:  checkpoint starting: time"
container_log postgres-replica "$(t 1261) UTC [1] LOG:  server process (PID 57) was terminated by signal 9: Killed"
for a in 1200 900 610 300 120 40; do
  container_log app "$(t $a) ERROR [app.exports] export inventory.xlsx failed: psycopg2.OperationalError: could not connect to server: Connection refused"
  container_log app "	Is the server running on host \"postgres-replica\" (172.19.0.4) and accepting TCP/IP connections on port 5432?"
done
container_log app "$(t 700) ERROR [app.reports] monthly_report failed: read replica unavailable (READ_REPLICA_URL)"

state_set service.unit app
service_start "gunicorn: master [app.main:app]"
drill_export PORT "$(state_get port)"
echo "SME ERP drill ready: postgres-replica exited (137); app on 127.0.0.1:$(state_get port)"
