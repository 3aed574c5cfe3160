#!/usr/bin/env bash
# End-to-end tests in a real VS Code: installs code-server (once), builds the extension, then runs the
# in-VS-Code tests and the screenshot check (test/e2e/run-extension-tests.ts), the kill test (journalKill.ts),
# the first-run check (firstRunCheck.ts) and the install-from-.vsix test (vsixInstall.ts). Exit code: 0 when all pass.
#   E2E_VERBOSE=1  show the test extension's progress and browser errors
#   E2E_KEEP=1     keep the temp workspace, user-data dir and logs
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/install-code-server.sh
if [ ! -d node_modules ]; then npm ci; fi
npm run build
rc=0
node --import tsx test/e2e/run-extension-tests.ts || rc=$?
# Killing VS Code between a run and its save loses nothing (issue 17): a separate code-server it kills.
node --import tsx test/e2e/journalKill.ts || rc=$?
# A run asked for before the rest of the extension loaded (it loads after a record's open) runs (issue 17).
node --import tsx test/e2e/firstRunCheck.ts || rc=$?
# What a user who installs only the .vsix gets (issue 18): packaged fresh (vsce with no warnings), installed
# with code-server --install-extension into a fresh code-server; samples, a drill, the CLI in the terminal.
bash scripts/check-vsix.sh || rc=$?
node --import tsx test/e2e/vsixInstall.ts || rc=$?
exit "$rc"
