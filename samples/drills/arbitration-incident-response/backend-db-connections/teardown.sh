#!/usr/bin/env bash
exec bash "${DRILL_COMMON:?not in a drill}/teardown.sh"
