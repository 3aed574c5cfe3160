#!/usr/bin/env bash
# scripts/create-warroom.sh (drill copy)
echo "[warroom] created #incident-$1 and invited the on-call rota; bridge: https://warroom.novacron.io/$1"
