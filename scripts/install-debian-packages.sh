#!/usr/bin/env bash
# Debian packages the tests and the main job use. Installs only what is missing (apt-get update once).
set -euo pipefail
packages=(
  bash procps coreutils util-linux sqlite3 ripgrep openssh-server openssh-client
  postgresql postgresql-client mariadb-server curl  # real servers and curl for the SQL/HTTP cell tests and bench
  sudo pssh ansible prometheus prometheus-alertmanager netcat-openbsd  # real sudo, fleet peers, metrics servers
  poppler-utils  # pdftotext: the secret test reads the exported PDF's text; pdftoppm: the e2e test looks at its pages
  # code-server's native modules and the browser that drives it
  libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config chromium
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "all Debian packages present"
fi
