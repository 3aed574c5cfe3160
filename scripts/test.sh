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
# The output is kept (node's closing summary included) to count the skipped tests: a skip means a test did
# not run, and with ALLOW_SKIPS=0 (what .ci/run sets) any skip fails the run.
UNIT_LOG="$(mktemp -t runbook-unit.XXXXXX)"
trap 'rm -f "$UNIT_LOG"' EXIT
UNIT_STATUS=0
npm run test:unit 2>&1 | tee "$UNIT_LOG" || UNIT_STATUS=$?
# node's own "skipped N" leaves out skipped suites (a describe with `skip` counts nothing), so the spec
# reporter's skip lines ("﹣ name # reason") are counted: one per skipped test or suite.
if ! grep -qE 'duration_ms [0-9]' "$UNIT_LOG"; then
  echo "test.sh: node's closing test summary is missing from the unit test output" >&2
  [ "$UNIT_STATUS" != 0 ] || UNIT_STATUS=1
fi
SKIPPED="$(grep -cE '^[[:space:]]*﹣ ' "$UNIT_LOG" || true)"
echo "unit tests or suites skipped: $SKIPPED"
if [ "$SKIPPED" != 0 ]; then
  grep -E '^[[:space:]]*﹣ ' "$UNIT_LOG" | sed 's/^[[:space:]]*/  /' || true
  if [ "${ALLOW_SKIPS:-1}" = 0 ]; then
    echo "test.sh: $SKIPPED skipped, and skips are not allowed here (ALLOW_SKIPS=0, set by .ci/run)" >&2
    exit 1
  fi
fi
if [ "$UNIT_STATUS" != 0 ]; then exit "$UNIT_STATUS"; fi

step "package the extension"
bash scripts/check-vsix.sh

step "tests inside VS Code (code-server + Chromium)"
bash scripts/e2e.sh

step "all tests passed"
