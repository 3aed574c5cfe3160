#!/usr/bin/env bash
# Installs code-server (a real VS Code 1.100 served to a browser) from the npm registry, offline-friendly,
# into .vscode-test/code-server, plus the Debian packages it and the e2e tests need (Chromium, ripgrep,
# headers for its native modules). Idempotent: a marker file makes a second run return at once.
# See DESIGN.md section 5 for why each step is done by hand.
#
#   scripts/install-code-server.sh           install if missing
#   FORCE=1 scripts/install-code-server.sh   reinstall
set -euo pipefail

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.100.3}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX="$ROOT/.vscode-test/code-server"
CS="$PREFIX/node_modules/code-server"
VSC="$CS/lib/vscode"
MARKER="$PREFIX/.installed-$CODE_SERVER_VERSION"

log() { printf '[install-code-server] %s\n' "$*" >&2; }

# --- Debian packages -------------------------------------------------------------------------------
# fonts-noto-color-emoji: runbooks use emoji (❌ ✅); without it screenshots show empty boxes.
APT_PKGS=(libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep chromium fonts-noto-color-emoji)
missing=()
for p in "${APT_PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$p"); fi
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- fast path ---------------------------------------------------------------------------------------
if [ -z "${FORCE:-}" ] && [ -f "$MARKER" ] && [ -f "$CS/out/node/entry.js" ]; then
  log "code-server $CODE_SERVER_VERSION already installed at $PREFIX"
  exit 0
fi

start=$(date +%s)
major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$major" != 20 ]; then log "warning: code-server $CODE_SERVER_VERSION expects Node 20, found $(node -v)"; fi

export npm_config_unsafe_perm=true
export npm_config_yes=true
export npm_config_audit=false
export npm_config_fund=false
export npm_config_update_notifier=false
export npm_config_loglevel=error
# Native modules build against the local Node headers (no header download).
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi

rm -rf "$PREFIX"
mkdir -p "$PREFIX"
# npm and compiler output goes to a log; it is shown when a step fails.
LOG="$ROOT/.vscode-test/install-code-server.log"
: > "$LOG"
run() {
  if ! "$@" >>"$LOG" 2>&1; then
    log "failed: $*"
    tail -n 60 "$LOG" >&2
    log "full log: $LOG"
    exit 1
  fi
}
cd "$PREFIX"
printf '{ "name": "code-server-host", "private": true }\n' > package.json

log "npm install code-server@$CODE_SERVER_VERSION (scripts off)"
run npm install --no-save --ignore-scripts --no-package-lock "code-server@$CODE_SERVER_VERSION"

log "installing lib/vscode production dependencies"
(cd "$VSC" && run npm install --omit=dev --ignore-scripts --no-package-lock)
log "installing lib/vscode/extensions production dependencies"
(cd "$VSC/extensions" && run npm install --omit=dev --ignore-scripts --no-package-lock)

# VS Code loads some modules through node_modules.asar; code-server ships a plain tree.
ln -sfn node_modules "$VSC/node_modules.asar"

log "rebuilding native modules of lib/vscode"
NATIVE=(@parcel/watcher @vscode/spdlog kerberos native-watchdog node-pty @vscode/deviceid)
present=()
for m in "${NATIVE[@]}"; do [ -d "$VSC/node_modules/$m" ] && present+=("$m"); done
(cd "$VSC" && run npm rebuild --foreground-scripts "${present[@]}")

# @vscode/ripgrep's postinstall downloads a binary from the internet: use Debian's rg instead.
RG_DIR="$VSC/node_modules/@vscode/ripgrep/bin"
mkdir -p "$RG_DIR"
ln -sfn "$(command -v rg)" "$RG_DIR/rg"

log "rebuilding argon2"
# argon2 is hoisted to the prefix's node_modules; node-pre-gyp's download fails offline and it builds.
(cd "$PREFIX" && run npm rebuild --foreground-scripts argon2)

# --- verify --------------------------------------------------------------------------------------------
log "verifying native modules"
(cd "$VSC" && node -e '
  const mods = ["node-pty", "@parcel/watcher", "@vscode/spdlog", "native-watchdog", "kerberos", "@vscode/deviceid"];
  let bad = 0;
  for (const m of mods) {
    try { require(m); console.error("  ok  " + m); }
    catch (e) { bad++; console.error("  FAIL " + m + ": " + e.message.split("\n")[0]); }
  }
  process.exit(bad ? 1 : 0);
')
(cd "$CS" && node -e 'require("argon2"); console.error("  ok  argon2")')
"$RG_DIR/rg" --version >/dev/null
node "$CS/out/node/entry.js" --version >/dev/null

touch "$MARKER"
log "code-server $CODE_SERVER_VERSION installed in $(( $(date +%s) - start ))s at $PREFIX"
