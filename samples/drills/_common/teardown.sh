#!/usr/bin/env bash
# Common teardown of a drill scenario: stops the scenario service and every process started under this
# drill's state directory. (The drill runner removes the directory afterwards.)
. "${DRILL_COMMON:?not in a drill}/lib.sh"
service_stop
for f in "$DRILL_STATE"/pids/*.pid; do
  [ -f "$f" ] || continue
  pid=$(cat "$f"); [ -n "$pid" ] && kill "$pid" 2>/dev/null
  rm -f "$f"
done
for pid in $(drill_pids); do
  [ "$pid" = "$$" ] || [ "$pid" = "$PPID" ] && continue
  kill "$pid" 2>/dev/null
done
exit 0
