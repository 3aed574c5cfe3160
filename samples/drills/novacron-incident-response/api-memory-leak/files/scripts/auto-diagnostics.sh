#!/usr/bin/env bash
# scripts/auto-diagnostics.sh (drill copy)
echo "[auto-diagnostics] incident $1: collecting system, application and database metrics ..."
echo "[auto-diagnostics] api: memory 998Mi/1Gi (p95), OOMKilled restarts in the last hour: 9"
echo "[auto-diagnostics] recommendation (critical): Review application logs for errors; playbook memory_leak → restart_pods"
echo "[auto-diagnostics] report written to incidents/$1-diagnostics.json"
mkdir -p incidents && echo '{"memory_leak": true}' > "incidents/$1-diagnostics.json"
