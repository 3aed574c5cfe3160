#!/usr/bin/env bash
# demo/nginx/ssl/generate.sh (drill copy): a self-signed certificate for DOMAIN, valid 30 days.
cd "$(dirname "$0")" || exit 1
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=${1:-localhost}" -keyout app.key -out app.crt 2>/dev/null && echo "Generated self-signed certificate for ${1:-localhost} (30 days)"
