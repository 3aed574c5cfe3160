#!/usr/bin/env bash
# CVD operations drill "bad-release": 2.5.0 was deployed 25 minutes ago and fails every request with a
# missing-column error; cvd.service is active, /health answers 500; the database is intact.
set -euo pipefail
. "${DRILL_COMMON:?not in a drill}/lib.sh"
S=$DRILL_STATE
CVD=$S/opt/cvd
mkdir -p "$CVD"/{app,data,backups,logs}
command -v sqlite3 >/dev/null || { echo "this drill needs the sqlite3 CLI" >&2; exit 1; }
command -v git >/dev/null || { echo "this drill needs git" >&2; exit 1; }

# --- the checkout: 2.4.1 yesterday, 2.5.0 25 minutes ago ---
g() { GIT_CONFIG_NOSYSTEM=1 HOME="$S" git -C "$CVD/app" -c user.name="CVD Deploy Bot" -c user.email=deploy@company.com -c init.defaultBranch=main "$@"; }
g init -q
printf 'VERSION = "2.4.1"\n' > "$CVD/app/version.py"
printf 'SELECT id, serial, site, model FROM devices WHERE serial = ?\n' > "$CVD/app/devices.sql"
g add -A
GIT_AUTHOR_DATE="$(ts_ago 93600 '%Y-%m-%dT%H:%M:%S')" GIT_COMMITTER_DATE="$(ts_ago 93600 '%Y-%m-%dT%H:%M:%S')" g commit -q -m "Release 2.4.1"
printf 'VERSION = "2.5.0"\n' > "$CVD/app/version.py"
printf 'SELECT id, serial, site, model, firmware FROM devices WHERE serial = ?\n' > "$CVD/app/devices.sql"
g add -A
GIT_AUTHOR_DATE="$(ts_ago 1500 '%Y-%m-%dT%H:%M:%S')" GIT_COMMITTER_DATE="$(ts_ago 1500 '%Y-%m-%dT%H:%M:%S')" g commit -q -m "Release 2.5.0: planogram sync v2 (device firmware column)"

# --- the database (intact) ---
sqlite3 "$CVD/data/cvd.db" <<'SQL'
CREATE TABLE users(id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, is_active INTEGER DEFAULT 1);
CREATE TABLE devices(id INTEGER PRIMARY KEY, serial TEXT NOT NULL, site TEXT NOT NULL, model TEXT);
CREATE INDEX idx_devices_serial ON devices(serial);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 42) INSERT INTO users(username) SELECT 'user' || i FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 180)
  INSERT INTO devices(serial, site, model) SELECT printf('VD-%05d', i * 37), 'site-' || (100 + i % 17), 'VX' || (i % 4) FROM n;
SQL

# --- logs and units ---
d() { ts_ago "$1" '%Y-%m-%d %H:%M:%S'; }
{
  echo "$(d 1490),201 INFO [cvd.app] Starting CVD 2.5.0 (gunicorn 21.2.0, 3 workers)"
  for t in 1440 1100 820 600 410 240 95 30; do
    echo "$(d $t),$((RANDOM % 900 + 100)) ERROR [cvd.app] Exception on /api/devices [GET]"
    echo "Traceback (most recent call last):"
    echo "  File \"/opt/cvd/app/cvd/devices.py\", line 88, in list_devices"
    echo "    rows = db.execute(load_sql('devices.sql'), (serial,)).fetchall()"
    echo "sqlite3.OperationalError: no such column: devices.firmware"
  done
} > "$CVD/logs/error.log"
unit_init nginx active "A high performance web server and a reverse proxy server" "" 1036800
state_set unit.nginx.exe nginx; state_set unit.nginx.pid 1187
state_set unit.nginx.cmdline '"nginx: master process /usr/sbin/nginx -g daemon on; master_process on;"'
unit_init cvd active "CVD application (gunicorn)" "" 1490
state_set unit.cvd.exe gunicorn; state_set unit.cvd.memory 231.7M; state_set unit.cvd.tasks 5
state_set unit.cvd.cmdline '"gunicorn: master [cvd.wsgi:app]"'
journal cvd 93600 "systemd[1]: Started CVD application (gunicorn)."
journal cvd 1495 "systemd[1]: Stopping CVD application (gunicorn)..."
journal cvd 1490 "systemd[1]: Started CVD application (gunicorn)."
journal cvd 1489 "gunicorn[3112]: [INFO] Starting gunicorn 21.2.0 — CVD 2.5.0"
for t in 1440 820 410 95 30; do
  journal cvd "$t" "gunicorn[3115]: [ERROR] Exception on /health [GET]: sqlite3.OperationalError: no such column: devices.firmware"
done
journal nginx 1036800 "systemd[1]: Started A high performance web server and a reverse proxy server."
state_set release.bad yes

state_set service.unit cvd
service_start "gunicorn: master [cvd.wsgi:app]"
echo "cvd.drill.test $(state_get port)" > "$S/state/hosts.map"
drill_export PORT "$(state_get port)"
echo "CVD operations drill ready: release 2.5.0 answers 500 on 127.0.0.1:$(state_get port)"
