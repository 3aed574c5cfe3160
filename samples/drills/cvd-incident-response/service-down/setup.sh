#!/usr/bin/env bash
# CVD drill "service-down": cvd.service failed after an OOM kill, /health answers 503, the SQLite database
# has a damaged index, last night's backup is clean. Builds everything under $DRILL_STATE.
set -euo pipefail
. "${DRILL_COMMON:?not in a drill}/lib.sh"
S=$DRILL_STATE
CVD=$S/opt/cvd
mkdir -p "$CVD"/{app/venv/bin,data,backups,logs,config}

command -v sqlite3 >/dev/null || { echo "this drill needs the sqlite3 CLI (apt-get install sqlite3)" >&2; exit 1; }

# --- the application checkout and its configuration ---
cat > "$CVD/app/venv/bin/activate" <<'ACT'
# drill: a stand-in virtualenv
VIRTUAL_ENV="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"; export VIRTUAL_ENV
pip() { if [ "$1" = check ]; then echo "No broken requirements found."; else echo "pip 23.3.1 from $VIRTUAL_ENV/lib/python3.11/site-packages/pip (python 3.11)"; fi; }
ACT
cat > "$CVD/config/.env" <<ENV
FLASK_ENV=production
DATABASE_PATH=/opt/cvd/data/cvd.db
LOG_PATH=/opt/cvd/logs
SECRET_KEY=drill-not-a-secret
GUNICORN_WORKERS=3
ENV

# --- the database: a clean backup from last night, then the live copy with a damaged index ---
# (The index is built without every 60th row, then its definition is changed to cover all rows: SQLite's
# integrity_check then reports exactly what a torn write leaves: rows missing from the index.)
sqlite3 "$CVD/backups/cvd_backup.db" <<'SQL'
CREATE TABLE users(id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, email TEXT, is_active INTEGER DEFAULT 1, created_at TEXT);
CREATE TABLE devices(id INTEGER PRIMARY KEY, serial TEXT NOT NULL, site TEXT NOT NULL, model TEXT, last_seen TEXT);
CREATE INDEX idx_devices_serial ON devices(serial);
CREATE TABLE planograms(id INTEGER PRIMARY KEY, site TEXT, name TEXT, updated_at TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 42)
  INSERT INTO users(username, email, created_at) SELECT 'user' || i, 'user' || i || '@company.com', '2025-0' || (1 + i % 9) || '-1' || (i % 9) FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 180)
  INSERT INTO devices(serial, site, model, last_seen) SELECT printf('VD-%05d', i * 37), 'site-' || (100 + i % 17), 'VX' || (i % 4), datetime('now', '-' || (i % 50) || ' minutes') FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 24)
  INSERT INTO planograms(site, name, updated_at) SELECT 'site-' || (100 + i % 17), 'planogram ' || i, datetime('now', '-' || i || ' days') FROM n;
SQL
cp "$CVD/backups/cvd_backup.db" "$CVD/data/cvd.db"
sqlite3 "$CVD/data/cvd.db" "DROP INDEX idx_devices_serial; CREATE INDEX idx_devices_serial ON devices(serial) WHERE id % 60 != 0;"
sqlite3 "$CVD/data/cvd.db" "PRAGMA writable_schema=ON; UPDATE sqlite_schema SET sql='CREATE INDEX idx_devices_serial ON devices(serial)' WHERE name='idx_devices_serial';"
mv "$CVD/backups/cvd_backup.db" "$CVD/backups/cvd_$(ts_ago 11400 '%Y%m%d_%H%M%S').db"
touch -d "@$(( $(now_s) - 11400 ))" "$CVD"/backups/cvd_*.db 2>/dev/null || true
if [ "$(sqlite3 "$CVD/data/cvd.db" 'PRAGMA integrity_check;' | head -n 1)" = ok ]; then
  echo "warning: could not damage the drill database (sqlite3 in defensive mode?)" >&2
  state_set db.integrity ok
else
  state_set db.integrity damaged
fi
printf 'drill cache\n' > "$CVD/data/ai_cache.db"

# --- logs ---
d() { ts_ago "$1" '%Y-%m-%d %H:%M:%S'; }
{
  echo "$(d 2700),114 INFO [cvd.app] Starting gunicorn 21.2.0 with 3 workers"
  echo "$(d 1500),552 INFO [cvd.auth] Login failed for user admin from 203.0.113.7"
  echo "$(d 1480),102 INFO [cvd.auth] Login failed for user admin from 203.0.113.7"
  echo "$(d 1010),871 INFO [cvd.reports] Planogram export planogram_full started for all sites (user ops-report)"
  echo "$(d 760),552 WARNING [gunicorn.error] Worker (pid:2214) was sent SIGKILL! Perhaps out of memory?"
  echo "$(d 700),871 ERROR [cvd.reports] Export planogram_full failed: MemoryError"
  echo "Traceback (most recent call last):"
  echo "  File \"/opt/cvd/app/cvd/reports.py\", line 212, in export_full"
  echo "    rows = list(cursor.fetchall())"
  echo "MemoryError"
  echo "$(d 460),003 ERROR [cvd.db] sqlite3.DatabaseError: database disk image is malformed (SELECT * FROM devices WHERE serial = ?)"
  echo "$(d 300),420 CRITICAL [gunicorn.error] WORKER TIMEOUT (pid:2219)"
  echo "$(d 252),006 ERROR [gunicorn.error] Worker (pid:2219) was sent SIGKILL! Perhaps out of memory?"
  echo "$(d 252),310 ERROR [gunicorn.error] Shutting down: Master"
  echo "$(d 252),311 ERROR [gunicorn.error] Reason: Worker failed to boot."
} > "$CVD/logs/error.log"
: > "$CVD/logs/incidents.log"

unit_init nginx active "A high performance web server and a reverse proxy server" "" 1036800
state_set unit.nginx.exe nginx; state_set unit.nginx.pid 1187; state_set unit.nginx.cmdline '"nginx: master process /usr/sbin/nginx -g daemon on; master_process on;"'
unit_init cvd failed "CVD application (gunicorn)" oom-kill 240
state_set unit.cvd.mainpid "2211 (code=killed, signal=KILL)"
state_set unit.cvd.exe gunicorn; state_set unit.cvd.memory 212.4M; state_set unit.cvd.tasks 5
state_set unit.cvd.cmdline '"gunicorn: master [cvd.wsgi:app]"'
printf '80\n443\n' > "$S/state/ports.open"
journal cvd 86400 "systemd[1]: Started CVD application (gunicorn)."
journal cvd 760 "gunicorn[2211]: [WARNING] Worker (pid:2214) was sent SIGKILL! Perhaps out of memory?"
journal cvd 300 "gunicorn[2211]: [CRITICAL] WORKER TIMEOUT (pid:2219)"
journal cvd 252 "systemd[1]: cvd.service: A process of this unit has been killed by the OOM killer."
journal cvd 252 "systemd[1]: cvd.service: Main process exited, code=killed, status=9/KILL"
journal cvd 252 "systemd[1]: cvd.service: Failed with result 'oom-kill'."
journal cvd 252 "systemd[1]: cvd.service: Consumed 3min 12.114s CPU time."
journal cvd 241 "systemd[1]: cvd.service: Scheduled restart job, restart counter is at 5."
journal cvd 241 "systemd[1]: cvd.service: Start request repeated too quickly."
journal cvd 241 "systemd[1]: Failed to start CVD application (gunicorn)."
journal nginx 1036800 "systemd[1]: Started A high performance web server and a reverse proxy server."
up=$(( $(cut -d. -f1 /proc/uptime 2>/dev/null || echo 1843950) ))
cat > "$S/dmesg.log" <<DMESG
[$((up - 254)).114502] gunicorn invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0
[$((up - 254)).114588] Out of memory: Killed process 2219 (gunicorn) total-vm:3145728kB, anon-rss:2817324kB, file-rss:0kB, shmem-rss:0kB, UID:999 pgtables:5732kB oom_score_adj:0
[$((up - 254)).201771] oom_reaper: reaped process 2219 (gunicorn), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB
DMESG

# --- the service behind APP_PORT (answers 503 until cvd.service is active again) ---
state_set service.unit cvd
service_start "gunicorn: master [cvd.wsgi:app]"
PORT=$(state_get port)
echo "cvd.drill.test $PORT" > "$S/state/hosts.map"
drill_export PORT "$PORT"
echo "CVD drill ready: cvd.service failed, /health on 127.0.0.1:$PORT answers 503"
