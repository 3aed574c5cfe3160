#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian machine with Node 20, builds, and runs every test:
# lint, typecheck, unit tests (real bash, sqlite3, ...), the packaged .vsix check, and the tests inside a
# real VS Code (code-server driven by Debian's Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Debian packages"
bash scripts/install-debian-packages.sh

step "npm ci"
npm ci --no-audit --no-fund

step "build"
npm run build

step "lint and typecheck"
npm run lint
npm run typecheck

step "unit tests (plain Node)"
npm run test:unit

step "package the extension"
bash scripts/check-vsix.sh

step "tests inside VS Code (code-server + Chromium)"
bash scripts/e2e.sh

step "all tests passed"
