#!/usr/bin/env bash
# Runs Runbook Notebooks in a real VS Code (code-server 4.100.3, served to your browser) on samples/.
#
#   scripts/launch.sh                 build, install, serve http://127.0.0.1:8080/
#   PORT=9000 scripts/launch.sh       another port
#   FOLDER=/path/to/runbooks scripts/launch.sh   another folder
#
# Everything lives under .vscode-test/ (git-ignored): code-server, a fresh extensions dir with this
# extension installed from its .vsix, and the user-data dir (settings, logs). Workspace trust stays on: VS Code asks whether you
# trust the folder, and no cell runs until you do. Ctrl+C stops the server.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PORT="${PORT:-8080}"
HOST=127.0.0.1
FOLDER="$(cd "${FOLDER:-$ROOT/samples}" && pwd)"
STATE="$ROOT/.vscode-test"
EXT_ROOT="$STATE/extensions"
USER_DATA="$STATE/user-data"
ENTRY="$STATE/code-server/node_modules/code-server/out/node/entry.js"

say() { printf '[launch] %s\n' "$*" >&2; }

if [ ! -d node_modules ]; then
  say "npm ci"
  npm ci
fi
say "npm run build"
npm run build
bash "$ROOT/scripts/install-code-server.sh"

# A fresh extensions dir holding only this extension, installed from its .vsix the way VS Code installs any
# extension (files copied, extensions.json written). A dir of links into the repo is not enough: VS Code
# finds which extension a call comes from by the real path of its code, and code behind a link is
# "Null Extension Description" on every notification. After a change: stop, `npm start` again.
rm -rf "$EXT_ROOT"
VSIX="$STATE/runbook-notebooks.vsix"
say "packaging and installing the extension"
npx vsce package --no-dependencies --readme-path docs/EXTENSION-README.md --out "$VSIX" >/dev/null
mkdir -p "$USER_DATA"
node "$ENTRY" --extensions-dir "$EXT_ROOT" --user-data-dir "$USER_DATA" --config "$USER_DATA/config.yaml" \
  --install-extension "$VSIX" --force >/dev/null

# User settings: quiet workbench. *.runbook.md opens as a notebook through the extension's
# contributes.notebooks (priority "default"); no setting is needed for that.
mkdir -p "$USER_DATA/User"
SETTINGS="$USER_DATA/User/settings.json"
if [ ! -f "$SETTINGS" ]; then
  cat > "$SETTINGS" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "update.mode": "none"
}
JSON
fi

if node -e '
  const s = require("net").createServer();
  s.once("error", () => process.exit(1));
  s.listen(+process.argv[1], process.argv[2], () => s.close(() => process.exit(0)));
' "$PORT" "$HOST"; then :; else
  say "port $PORT on $HOST is in use: set PORT to a free port"
  exit 1
fi

LOG="$USER_DATA/code-server.log"
node "$ENTRY" \
  --auth none \
  --bind-addr "$HOST:$PORT" \
  --disable-telemetry \
  --disable-update-check \
  --config "$USER_DATA/config.yaml" \
  --user-data-dir "$USER_DATA" \
  --extensions-dir "$EXT_ROOT" \
  "$FOLDER" > "$LOG" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true' INT TERM EXIT

for _ in $(seq 1 120); do
  if node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' \
    "http://$HOST:$PORT/healthz"; then
    break
  fi
  if ! kill -0 "$PID" 2>/dev/null; then
    say "code-server exited; its log:"
    cat "$LOG" >&2
    exit 1
  fi
  sleep 0.5
done

URL="http://$HOST:$PORT/?folder=$(node -p 'encodeURI(process.argv[1])' "$FOLDER")"
cat <<EOF

  Runbook Notebooks: open $URL

  Folder:    $FOLDER
  Log:       $LOG
  VS Code asks whether you trust this folder: runbooks open either way, cells run only when trusted.
  Stop with Ctrl+C.

EOF
wait "$PID"
