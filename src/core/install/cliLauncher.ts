// "Install Command-Line Tool", the way VS Code installs `code`: a small `runbook` script in a bin folder on
// the PATH that runs the CLI shipped inside the extension. It runs with the editor's own runtime
// (ELECTRON_RUN_AS_NODE), so no separate Node is needed, and falls back to `node` when the editor moved.
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, accessSync, constants, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';

export const LAUNCHER_MARK = '# runbook launcher installed by Runbook Notebooks';

export interface InstallOptions {
  /** dist/cli.js inside the installed extension. */
  cliPath: string;
  /** The editor's runtime (process.execPath), run with ELECTRON_RUN_AS_NODE=1. */
  runtime: string;
  home: string;
  /** The PATH the user's shells see. */
  pathEnv: string;
  /** Bin folders to try, in order (default ~/.local/bin, ~/bin, /usr/local/bin). */
  dirs?: string[];
}

export interface InstallResult {
  file: string;
  /** Whether the folder is on PATH already. */
  onPath: boolean;
  /** An earlier launcher of ours was replaced. */
  replaced: boolean;
  /** What to add to the shell profile when the folder is not on PATH. */
  pathHint?: string;
}

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export function launcherScript(cliPath: string, runtime: string): string {
  return `#!/bin/sh
${LAUNCHER_MARK} ("Runbook: Install Command-Line Tool").
# It runs the CLI inside the extension; after the extension is updated, run that command again.
CLI=${q(cliPath)}
RUNTIME=${q(runtime)}
if [ ! -f "$CLI" ]; then
  echo "runbook: $CLI is gone (the extension was updated or removed): run \\"Runbook: Install Command-Line Tool\\" in VS Code again" >&2
  exit 127
fi
if [ -x "$RUNTIME" ]; then ELECTRON_RUN_AS_NODE=1 exec "$RUNTIME" "$CLI" "$@"; fi
exec node "$CLI" "$@"
`;
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Writes the launcher into the first usable bin folder; refuses to replace a `runbook` that is not ours. */
export function installLauncher(o: InstallOptions): InstallResult {
  if (process.platform === 'win32') throw new Error('Installing the command-line tool is not supported on Windows yet: run `node dist/cli.js` from the extension folder, or `npm install -g runbook-notebooks`.');
  const home = resolve(o.home);
  const dirs = o.dirs ?? [join(home, '.local', 'bin'), join(home, 'bin'), '/usr/local/bin'];
  const onPath = new Set(o.pathEnv.split(delimiter).filter(Boolean).map((d) => resolve(d)));
  // A folder on PATH that we can write (or create, inside home), else ~/.local/bin-like first choice.
  const usable = (d: string): boolean => existsSync(d) ? writable(d) : d.startsWith(home) && writable(nearestExisting(d));
  const chosen = dirs.find((d) => onPath.has(resolve(d)) && usable(d)) ?? dirs.find(usable);
  if (!chosen) throw new Error(`none of ${dirs.join(', ')} is writable`);
  mkdirSync(chosen, { recursive: true });
  const file = join(chosen, 'runbook');
  let replaced = false;
  if (existsSync(file) || isLink(file)) {
    const mine = !lstatSync(file).isSymbolicLink() && readFileSync(file, 'utf8').includes(LAUNCHER_MARK);
    if (!mine) throw new Error(`${file} exists and was not installed by Runbook Notebooks (an npm install?): remove it first, or keep using it`);
    replaced = true;
  }
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, launcherScript(resolve(o.cliPath), o.runtime));
  chmodSync(tmp, 0o755);
  renameSync(tmp, file);
  const isOnPath = onPath.has(resolve(chosen));
  const shown = chosen.startsWith(home + '/') ? `$HOME/${chosen.slice(home.length + 1)}` : chosen;
  return {
    file, onPath: isOnPath, replaced,
    pathHint: isOnPath ? undefined : `export PATH="${shown}:$PATH"   (add this line to ~/.profile or your shell's rc file)`,
  };
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function nearestExisting(p: string): string {
  let d = p;
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  return d;
}
