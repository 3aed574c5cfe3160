#!/usr/bin/env bash
# Mutation testing of the safety-critical core with Stryker, one module group after another (see
# stryker.config.mjs for the groups): `npm run mutate` runs all of them, `npm run mutate -- safety stop`
# the named ones; options (`--force`: ignore the incremental file) go to every Stryker run. Not part of
# `npm test`: it takes a while (one test process at a time).
set -euo pipefail
cd "$(dirname "$0")/.."
groups=()
options=()
for a in "$@"; do
  case "$a" in -*) options+=("$a") ;; *) groups+=("$a") ;; esac
done
if [ ${#groups[@]} -eq 0 ]; then groups=(safety stop redact log format); fi
# Stryker runs the tests in a copy of the repository: tell them where the seed runbooks are.
export RUNBOOK_SEEDS_DIR="${RUNBOOK_SEEDS_DIR:-$(cd .. && pwd)/shared/seeds}"
status=0
for g in "${groups[@]}"; do
  printf '\n\033[1m== mutation testing: %s\033[0m\n' "$g"
  MUTATE_GROUP="$g" npx stryker run stryker.config.mjs ${options[@]+"${options[@]}"} || status=1
done
exit $status
