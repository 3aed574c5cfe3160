// Runs one program with its input on stdin, locally or (through the SSH layer) on a remote host. The SQL
// executor runs the target host's `sqlite3` CLI through it. Locally it is execa (util/execa.ts).
import { execaModule, execaReason } from '../util/execa.js';

export interface CommandResult {
  /** Everything written to stdout (empty when an `onStdout` listener took it). */
  stdout: string;
  stderr: string;
  /** Exit status; null when killed by a signal. 127: the program was not found. */
  exitCode: number | null;
  signal?: string | null;
}

export interface CommandRunner {
  /**
   * Runs `argv` (program and arguments, no shell) with `stdin` as its input. Aborting `signal` stops the
   * program (and whatever it started) and resolves with what was read so far. With `onStdout`, stdout is
   * handed over as it arrives instead of being collected (an implementation may still collect it instead).
   */
  run(argv: string[], stdin: string, signal?: AbortSignal, onStdout?: (chunk: string) => void): Promise<CommandResult>;
}

/** How long a stopped program gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 500;

/** Runs programs on this machine, through execa. */
export const localCommandRunner: CommandRunner = {
  async run(argv, stdin, signal, onStdout) {
    const [program, ...args] = argv;
    if (signal?.aborted) return { stdout: '', stderr: 'cancelled before it started', exitCode: null, signal: 'SIGTERM' };
    const { execa } = await execaModule();
    const child = execa(program!, args, {
      input: stdin,
      reject: false,
      stripFinalNewline: false,
      // A cancelled cell stops the program: SIGTERM, then SIGKILL when it lingers.
      ...(signal ? { cancelSignal: signal } : {}),
      forceKillAfterDelay: KILL_GRACE_MS,
      // With onStdout, stdout is streamed instead of collected.
      buffer: { stdout: !onStdout, stderr: true },
    });
    if (onStdout) {
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => onStdout(chunk));
    }
    const r = await child;
    const stdout = typeof r.stdout === 'string' ? r.stdout : '';
    const stderr = typeof r.stderr === 'string' ? r.stderr : '';
    if (r.code === 'ENOENT') return { stdout, stderr: `${program}: command not found`, exitCode: 127 };
    if (r.exitCode === undefined && !r.signal) return { stdout, stderr: stderr || execaReason(r), exitCode: null };
    return { stdout, stderr, exitCode: r.exitCode ?? null, signal: r.signal ?? null };
  },
};
