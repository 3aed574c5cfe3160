// Giving the persistent shell a terminal without a native module: util-linux `script(1)` allocates a
// pseudo-terminal, makes it the controlling terminal of a new session and runs a command in it. The shell
// keeps pipes for its commands, stdout and stderr (so streams stay apart and the framing is unchanged);
// only its cells read from the terminal, and what programs write to the terminal (sudo's prompt, echo) comes
// out of script's stdout and is shown as the cell's stderr. See docs/DESIGN-NOTES.md "Commands that ask".
//
// Locally the shell's commands come in on an extra pipe (fd 3), answers on script's stdin. Over SSH there is
// one channel: commands and answers both go through the terminal, which is raw and silent while the shell
// reads commands and cooked while a cell runs (framing.ts switches it when `__rb_tc` is set).

import { execFile, execFileSync } from 'node:child_process';
import { quoteShell } from '../shell/quote.js';

/** Terminal settings while cells run: a normal cooked terminal, but "\n" stays "\n" and ^S does not freeze it. */
export const CELL_TTY_MODE = 'sane -onlcr -ixon';
/** While the shell reads commands through the terminal (SSH): bytes pass untouched and nothing is echoed. */
export const COMMAND_TTY_MODE = 'raw -echo -iexten';

/** The terminal's name for the shell (framing.ts reads and unsets it). */
const NAME_TTY = '__RB_TTY=$(tty 2>/dev/null) && export __RB_TTY; ';

let localScript: boolean | undefined;

/** How `script` is asked what it is, and whether its answer names util-linux. */
const VERSION_ARGS = ['--version'];
const VERSION_OPTIONS = { encoding: 'utf8', timeout: 5000 } as const;
const isUtilLinux = (versionText: string): boolean => /util-linux/.test(versionText);

/** util-linux `script` is installed here (BSD and BusyBox `script` take other options). */
export function hasUtilLinuxScript(): boolean {
  if (localScript === undefined) {
    try {
      localScript = isUtilLinux(execFileSync('script', VERSION_ARGS, { ...VERSION_OPTIONS, stdio: ['ignore', 'pipe', 'ignore'] }));
    } catch {
      localScript = false;
    }
  }
  return localScript;
}

let probing: Promise<boolean> | undefined;

/**
 * Asks the same without blocking, ahead of a first local session (the extension after a record opens): the
 * synchronous ask held the extension host 15–20 ms inside a first run (issue 17).
 */
export function probeUtilLinuxScript(): Promise<boolean> {
  if (localScript !== undefined) return Promise.resolve(localScript);
  probing ??= new Promise((resolve) => {
    execFile('script', VERSION_ARGS, VERSION_OPTIONS, (error, stdout) => {
      localScript ??= !error && isUtilLinux(stdout);
      resolve(localScript);
    });
  });
  return probing;
}

/**
 * Arguments for `script` running `inner` (a sh command line that must print the pid token on fd 4 and exec
 * the shell) with the shell's stdin on fd 3, stdout on fd 4, stderr on fd 5. `originalShell` is restored in
 * the inner command ($SHELL is /bin/sh for script itself, which runs its command with $SHELL -c).
 */
export function localScriptArgs(inner: string, originalShell: string | undefined): string[] {
  const restore = originalShell === undefined ? 'unset SHELL; ' : `SHELL=${quoteShell(originalShell)}; export SHELL; `;
  const command = `stty ${CELL_TTY_MODE} 2>/dev/null; ${NAME_TTY}${restore}${inner} <&3 >&4 2>&5 3<&- 4>&- 5>&-`;
  return ['-q', '-f', '-e', '-c', command, '/dev/null'];
}

/**
 * The remote start command: when util-linux `script` is there, `inner` (shellStartCommand: prints the pid
 * token, execs bash) runs on a terminal whose output goes to the channel's stderr; otherwise as before,
 * without a terminal (prompts then get end-of-input, as on a host without `script`).
 */
export function remoteTtyStartCommand(inner: string): string {
  const inTerminal = `stty ${COMMAND_TTY_MODE} 2>/dev/null; ${NAME_TTY}if [ -n "$RB_SHELL" ]; then SHELL=$RB_SHELL; export SHELL; else unset SHELL; fi; `
    + `unset RB_SHELL; ${inner} >&4 2>&5 4>&- 5>&-`;
  return `if script --version 2>/dev/null | grep -q util-linux; then exec 4>&1 5>&2; RB_SHELL=\${SHELL-} SHELL=/bin/sh `
    + `exec script -q -f -e -c ${quoteShell(inTerminal)} /dev/null >&2; fi; ${inner}`;
}
