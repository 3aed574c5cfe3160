// The wire protocol between a session and a long-lived bash reading commands on its stdin. Pure text in,
// text out, so the local session and the SSH session (an ssh2 channel) share it.
//
// Why the cell is *sourced* from a here-document rather than eval'ed or run in a subshell:
// - `source` runs in the shell itself, so cd, export, variables, `declare -A` and functions carry over;
// - a here-document with a quoted, random delimiter passes the text byte for byte (no quoting rules);
// - a syntax error only fails that source, it cannot swallow the framing that follows;
// - `return` is valid in a sourced file, so a trap can leave a running cell (cancel) while the shell
//   survives: see CANCEL_SIGNAL.
// The whole wrapper is one `{ ... }` group so bash parses it before running any of it: nothing of the
// framing is read (or echoed by `set -v`) while the cell runs.

import { randomBytes } from 'node:crypto';
import { CELL_TTY_MODE, COMMAND_TTY_MODE } from '../prompt/ttyShell.js';
import { COOKIE_VAR } from './cookie.js';
import { exportLines } from './quote.js';

/** Signal sent to the shell process (not the group) to make it leave the running cell. */
export const CANCEL_SIGNAL = 'SIGUSR1';

/** A marker token unique to one session: `__RB_<16 hex>_` (never printed except as a marker). */
export function newMarkerPrefix(): string {
  return `__RB_${randomBytes(8).toString('hex')}_`;
}

/** The line that lets the shell go on to the next cell: everything before it on the input is discarded. */
export function resumeToken(prefix: string): string {
  return `__RBGO_${prefix.slice('__RB_'.length)}`;
}

/**
 * Written once when the shell starts: the framing helpers, so that each cell's script stays short (bash reads
 * a pipe one byte per system call: every byte of framing costs latency on every cell). The helpers contain
 * no marker token: `set` and `declare -f` print them, and that must not look like the end of a cell.
 * Aliases are expanded as in a terminal (each cell is parsed on its own, so an alias from one works in the next).
 */
export function initScript(vars: Readonly<Record<string, string>>, prefix: string): string {
  return (
    'builtin shopt -s expand_aliases\n' +
    // Cells read from the session's terminal when there is one (prompts reach the person, see prompt/), else
    // from /dev/null. `__rb_tc`: the shell's own commands come through that terminal too (SSH), so it is
    // cooked while a cell runs and raw while the shell reads commands.
    // (__RB_TTY: the terminal's own name, from prompt/ttyShell.ts, so `tty` in a cell says /dev/pts/N.)
    'if [[ -n ${__RB_TTY-} && -r $__RB_TTY && -w $__RB_TTY ]]; then __rb_stdin=$__RB_TTY; ' +
    'elif { : </dev/tty; } 2>/dev/null; then __rb_stdin=/dev/tty; else __rb_stdin=/dev/null; fi; builtin unset __RB_TTY\n' +
    'if [ -t 0 ]; then __rb_tc=1; else __rb_tc=; fi\n' +
    // Between cells the shell reads and drops input up to the resume line: an answer typed after its
    // prompt went away is never run as a command, and never read by the next cell. (`-n` makes `read` take
    // one byte at a time from a terminal too; otherwise it would swallow the next cell from a raw one.)
    `__rb_rs=${resumeToken(prefix)}\n` +
    '__rb_wait() { while IFS= builtin read -r -n 4096 __rb_l; do [[ $__rb_l == *"$__rb_rs" ]] && break; done; __rb_l=; }\n' +
    '__rb_drain() { while builtin read -r -t 0; do builtin read -r -t 0.05 __rb_l || break; done <"$__rb_stdin"; __rb_l=; }\n' +
    `__rb_tty() { if [[ -n $__rb_tc ]]; then builtin command stty ${CELL_TTY_MODE} 2>/dev/null || :; ` +
    `elif [[ $__rb_stdin != /dev/null ]]; then __rb_drain 2>/dev/null || :; fi; }\n` +
    // On CANCEL_SIGNAL leave the sourced cell (only while one runs: in a helper, `return` would skip the
    // markers). errexit is suspended so that leaving with status 130 does not end the shell, and restored
    // right away when `return` fails (the trap fired at top level).
    `__rb_pre() { builtin trap 'if [[ \${__rb_in-} == 1 ]]; then __rb_re=$-; builtin set +e; ` +
    `builtin return 130 2>/dev/null; case $__rb_re in *e*) builtin set -e;; esac; __rb_re=; fi' ` +
    `${CANCEL_SIGNAL.slice(3)}; __rb_tty; __rb_in=1; }\n` +
    // $1$2$3 is the marker: passed in pieces so the token itself never appears in any input text.
    `__rb_post() { case \${__rb_re-} in *e*) builtin set -e;; esac; __rb_re=\n` +
    `if [[ -n $__rb_tc ]]; then builtin command stty ${COMMAND_TTY_MODE} 2>/dev/null || :; fi\n` +
    `builtin printf '%s%s%sE\\n' "$1" "$2" "$3" >&2\n` +
    `builtin printf '%s%s%sO:%s:%s:%s\\n' "$1" "$2" "$3" "$__rb_ec" "$__rb_fl" "\${!-}"; __rb_wait; }\n` +
    exportLines(vars) +
    '__rb_wait\n'
  );
}

export interface CellScriptOptions {
  /** The session's marker prefix (newMarkerPrefix). */
  prefix: string;
  /** Sequence number of this cell in the session; markers carry it so stale markers are recognised. */
  seq: number;
  source: string;
  /** `$-` reported by the previous cell: xtrace/verbose are re-enabled for the user's code only. */
  previousFlags?: string;
  /** Lines run before the cell, outside it (e.g. exports from setVariables). */
  prelude?: string;
  /** The cell's environment cookie (cookie.ts): exported while the cell runs, so its processes carry it. */
  cookie?: string;
}

export function cellScript(o: CellScriptOptions): string {
  const hex = o.prefix.slice('__RB_'.length);
  const eof = `__RBEOF_${hex}${o.seq}`;
  const body = o.source.endsWith('\n') ? o.source : `${o.source}\n`;
  const mark = o.cookie ? `builtin export ${COOKIE_VAR}=${o.cookie}\n` : '';
  const unmark = o.cookie ? ` builtin unset ${COOKIE_VAR};` : '';
  return (
    `${resumeToken(o.prefix)}\n{ __rb_pre\n${o.prelude ?? ''}${mark}` +
    `builtin . /dev/fd/211 211<<'${eof}' <"$__rb_stdin"\n${restoreFlags(o.previousFlags ?? '')}${body}${eof}\n` +
    // Status and flags first, then tracing off before anything else runs (its trace would be output).
    `{ __rb_ec=$? __rb_fl=$- __rb_in=; builtin set +xv;${unmark} } 2>/dev/null; __rb_post __RB_ ${hex} ${o.seq}; }\n`
  );
}

/** Prefix for the first line of a cell that turns xtrace/verbose back on (kept on that line: same line numbers). */
function restoreFlags(flags: string): string {
  const on = (flags.includes('x') ? 'x' : '') + (flags.includes('v') ? 'v' : '');
  return on ? `builtin set -${on}; ` : '';
}

/**
 * What a marker line says: `<prefix><seq>E` on stderr, `<prefix><seq>O:<exit>:<flags>:<$!>` on stdout.
 * `$!` (the last background job's pid) tells the session when a cell left a job running on purpose.
 */
export type Marker =
  | { kind: 'E'; seq: number }
  | { kind: 'O'; seq: number; exitCode: number; flags: string; lastJob: number | undefined };

const MARKER_BODY = /^(\d+)(?:E|O:(\d+):([A-Za-z]*):(\d*))$/;

/** Parses the text between the prefix and the line end; undefined when it is not one of ours. */
export function parseMarkerBody(body: string): Marker | undefined {
  const m = MARKER_BODY.exec(body);
  if (!m) return undefined;
  const seq = Number(m[1]);
  if (m[2] === undefined) return { kind: 'E', seq };
  return { kind: 'O', seq, exitCode: Number(m[2]), flags: m[3] ?? '', lastJob: m[4] ? Number(m[4]) : undefined };
}
