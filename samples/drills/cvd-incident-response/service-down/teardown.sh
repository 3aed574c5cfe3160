#!/usr/bin/env bash
# Stops the CVD drill's service and every process it started.
exec bash "${DRILL_COMMON:?not in a drill}/teardown.sh"
