#!/usr/bin/env bash
# scripts/incident-metrics.sh (drill copy)
echo "[metrics] $1 recording for incident $2 (every 30s to incidents/$2-metrics.log)"
