#!/usr/bin/env bash
# Packages the extension with vsce and checks the .vsix: it must install (a valid package.json inside)
# and carry no native module (a .node file breaks against VS Code's Electron ABI).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -f dist/runbook-notebooks.vsix
npx vsce package --no-dependencies --out dist/runbook-notebooks.vsix >/dev/null
listing=$(unzip -l dist/runbook-notebooks.vsix 2>/dev/null || python3 -c "import zipfile,sys;[print(n) for n in zipfile.ZipFile(sys.argv[1]).namelist()]" dist/runbook-notebooks.vsix)
echo "$listing" | grep -q 'extension/dist/extension.js' || { echo "vsix lacks dist/extension.js"; exit 1; }
for v in ssh2 pg mysql2 markdown-it languageclient; do echo "$listing" | grep -q "extension/dist/vendor/$v.js" || { echo "vsix lacks dist/vendor/$v.js"; exit 1; }; done
echo "$listing" | grep -q 'extension/package.json' || { echo "vsix lacks package.json"; exit 1; }
echo "$listing" | grep -q 'extension/dist/cli.js' || { echo "vsix lacks dist/cli.js (the CLI)"; exit 1; }
# Every sample runbook and every file of every drill scenario ships (Open Sample Runbooks copies them).
for f in $(cd samples && find . -type f | sed 's#^\./##'); do
  grep -qF "extension/samples/$f" <<<"$listing" || { echo "vsix lacks samples/$f"; exit 1; }
done
if echo "$listing" | grep -E '\.node$'; then echo "vsix contains a native module"; exit 1; fi
echo "dist/runbook-notebooks.vsix: $(du -h dist/runbook-notebooks.vsix | cut -f1), no native modules"
