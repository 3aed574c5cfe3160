#!/usr/bin/env bash
# Packages the extension with vsce and checks the .vsix: it must install (a valid package.json inside)
# and carry no native module (a .node file breaks against VS Code's Electron ABI).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -f dist/runbook-notebooks.vsix
# The extension page is the user README (docs/EXTENSION-README.md); the repository README is for developers.
log=$(npx vsce package --no-dependencies --readme-path docs/EXTENSION-README.md --out dist/runbook-notebooks.vsix 2>&1) || { echo "$log"; exit 1; }
if grep -qi 'warning' <<<"$log"; then echo "vsce package warned:"; echo "$log"; exit 1; fi
listing=$(unzip -l dist/runbook-notebooks.vsix 2>/dev/null || python3 -c "import zipfile,sys;[print(n) for n in zipfile.ZipFile(sys.argv[1]).namelist()]" dist/runbook-notebooks.vsix)
echo "$listing" | grep -q 'extension/dist/extension.js' || { echo "vsix lacks dist/extension.js"; exit 1; }
echo "$listing" | grep -q 'extension/dist/extensionParts.js' || { echo "vsix lacks dist/extensionParts.js (all but the serializer)"; exit 1; }
for v in ssh2 pg mysql2 markdown-it yaml execa languageclient; do echo "$listing" | grep -q "extension/dist/vendor/$v.js" || { echo "vsix lacks dist/vendor/$v.js"; exit 1; }; done
echo "$listing" | grep -q 'extension/package.json' || { echo "vsix lacks package.json"; exit 1; }
echo "$listing" | grep -q 'extension/dist/cli.js' || { echo "vsix lacks dist/cli.js (the CLI)"; exit 1; }
for c in cells check run verify seal incident drill alertUrl; do echo "$listing" | grep -q "extension/dist/cli/$c.js" || { echo "vsix lacks dist/cli/$c.js (a CLI command)"; exit 1; }; done
# Every sample runbook and every file of every drill scenario ships (Open Sample Runbooks copies them).
for f in $(cd samples && find . -type f | sed 's#^\./##'); do
  grep -qF "extension/samples/$f" <<<"$listing" || { echo "vsix lacks samples/$f"; exit 1; }
done
for f in extension/media/icon.png extension/changelog.md; do
  grep -qiF "$f" <<<"$listing" || { echo "vsix lacks $f"; exit 1; }
done
readme=$(python3 -c "import zipfile,sys;print(zipfile.ZipFile(sys.argv[1]).read('extension/readme.md').decode())" dist/runbook-notebooks.vsix)
grep -q 'Open Sample Runbooks' <<<"$readme" || { echo "the vsix README is not the user README"; exit 1; }
if grep -q 'npm test' <<<"$readme"; then echo "the vsix README is the developers' README"; exit 1; fi
if echo "$listing" | grep -E '\.node$'; then echo "vsix contains a native module"; exit 1; fi
echo "dist/runbook-notebooks.vsix: $(du -h dist/runbook-notebooks.vsix | cut -f1), no native modules"
