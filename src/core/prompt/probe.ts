// Is a cell waiting for input on its terminal? One POSIX sh script, run on the shell's host (locally with
// execFile, remotely over an exec channel), looks at the shell's session from /proc:
//  - "R pid": blocked in read(2) on the session's terminal (/proc/pid/syscall + the fd's link): certain;
//  - "M pid": syscall not readable (Yama ptrace_scope) but its wchan is a tty read wait: likely;
//  - "U pid": nothing readable (a setuid program such as sudo or passwd): unknown;
//  - "E0"/"E1": echo off/on on the terminal (a program hides what is typed: a password).
// Only sleeping members of the shell's session among its descendants are looked at (every process when the
// kernel has no children lists); nothing is signalled or written.

export interface ProbeResult {
  /** The shell has a terminal (false: it runs without one, nothing can be asked). */
  tty: boolean;
  echoOff: boolean;
  readers: number[];
  likely: number[];
  opaque: number[];
}

/** The probe script for the shell with pid `shellPid` (the leader of its session, its terminal the controlling one). */
export function probeScript(shellPid: number): string {
  if (!Number.isInteger(shellPid) || shellPid <= 0) throw new Error(`not a pid: ${shellPid}`);
  return [
    `p=${shellPid}`,
    'read -r s </proc/$p/stat 2>/dev/null || { echo N; exit 0; }',
    's=${s##*") "}; set -- $s; n=${5:-0}',
    'maj=$(( (n >> 8) & 4095 )); min=$(( (n & 255) | ((n >> 12) & 1048320) ))',
    '[ "$maj" -ge 136 ] && [ "$maj" -le 143 ] || { echo N; exit 0; }',
    't=/dev/pts/$(( (maj - 136) * 256 + min ))',
    'echo T',
    'case " $(stty -F "$t" -a 2>/dev/null | tr "\\n;" "  ") " in *" -echo "*) echo E0;; *" echo "*) echo E1;; esac',
    // read, pread64, readv by architecture (the syscall file shows numbers).
    'case $(uname -m) in x86_64) r=" 0 17 19 ";; aarch64|arm64|riscv64|loongarch64) r=" 63 65 67 ";; ppc*) r=" 3 145 179 ";; *) r=" 3 145 180 ";; esac',
    // The shell's descendants and itself (the kernel's children lists: a few files, not every process on a busy host);
    // every process where those lists are missing.
    'if [ -r /proc/$p/task/$p/children ]; then',
    '  L=$p; todo=$p',
    '  while [ -n "$todo" ]; do',
    '    k2=; for q in $todo; do for c in /proc/$q/task/*/children; do k=; read -r k 2>/dev/null <"$c"; k2="$k2 $k"; done; done',
    '    set -- $k2; todo=$*; L="$L $todo"',
    '  done',
    'else L=$(cd /proc && echo [0-9]*); fi',
    'for q in $L; do',
    '  read -r l 2>/dev/null <"/proc/$q/stat" || continue',
    '  l=${l##*") "}; set -- $l',
    '  [ "$4" = "$p" ] && [ "$1" = S ] || continue',
    '  if read -r c <"/proc/$q/syscall" 2>/dev/null; then',
    '    set -- $c; case $r in *" $1 "*) ;; *) continue;; esac',
    '    fd=$(( ${2:-0x7fffffff} )) 2>/dev/null || continue',
    '    case $(readlink "/proc/$q/fd/$fd" 2>/dev/null) in "$t"|/dev/tty) echo "R $q";; esac',
    '  else',
    '    w=$(cat "/proc/$q/wchan" 2>/dev/null)',
    '    case $w in n_tty_read|wait_woken) echo "M $q";; ""|0) echo "U $q";; esac',
    '  fi',
    'done',
    '',
  ].join('\n');
}

export function parseProbe(text: string): ProbeResult {
  const out: ProbeResult = { tty: false, echoOff: false, readers: [], likely: [], opaque: [] };
  for (const line of text.split('\n')) {
    const [kind, pid] = line.trim().split(' ');
    if (kind === 'T') out.tty = true;
    else if (kind === 'E0') out.echoOff = true;
    else if (pid && /^\d+$/.test(pid)) {
      if (kind === 'R') out.readers.push(Number(pid));
      else if (kind === 'M') out.likely.push(Number(pid));
      else if (kind === 'U') out.opaque.push(Number(pid));
    }
  }
  return out;
}

/**
 * Whether the cell waits for input, given the probe and whether its output ends in an unfinished line
 * (a prompt usually does). A certain reader is enough; a likely one needs that unfinished line (a program
 * waiting on a socket looks the same); a program that cannot be looked at (sudo) counts when it turned
 * the terminal's echo off, which is what password prompts do.
 */
export function isWaiting(p: ProbeResult, partialLine: boolean): boolean {
  if (!p.tty) return false;
  if (p.readers.length) return true;
  if (p.likely.length && (partialLine || p.echoOff)) return true;
  return p.echoOff && p.opaque.length > 0;
}

const SECRET_WORDS = /pass(word|phrase)|\bpin\b|secret|token|passcode|one-time|otp\b|verification code/i;

/** A password box: echo is off, or the prompt names a secret. */
export function isHiddenPrompt(text: string, echoOff: boolean): boolean {
  return echoOff || SECRET_WORDS.test(text);
}
