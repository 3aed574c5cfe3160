#!/usr/bin/env bash
# scripts/page-oncall.sh (drill copy)
curl -s -X POST "https://api.novacron.io/v1/pages" -d "{\"severity\": $1, \"incident\": \"$2\"}" >/dev/null && echo "[page-oncall] SEV-$1: paged primary on-call for incident $2"
