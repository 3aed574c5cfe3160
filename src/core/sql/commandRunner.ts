// Runs one program with its input on stdin, locally or (through the SSH layer) on a remote host. The SQL
// executor runs the target host's `sqlite3` CLI through it.
import { spawn } from 'node:child_process';

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

/** Runs programs on this machine. */
export const localCommandRunner: CommandRunner = {
  run(argv, stdin, signal, onStdout) {
    return new Promise((resolve) => {
      const [program, ...args] = argv;
      let stdout = '';
      let stderr = '';
      let settled = false;
      const finish = (result: CommandResult): void => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', stop);
        resolve(result);
      };
      if (signal?.aborted) {
        finish({ stdout, stderr: 'cancelled before it started', exitCode: null, signal: 'SIGTERM' });
        return;
      }
      const child = spawn(program!, args, { stdio: 'pipe' });
      let killTimer: NodeJS.Timeout | undefined;
      function stop(): void {
        child.kill('SIGTERM');
        killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
        killTimer.unref();
      }
      signal?.addEventListener('abort', stop, { once: true });
      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        if (onStdout) onStdout(chunk);
        else stdout += chunk;
      });
      child.stderr.on('data', (chunk: string) => {
        if (stderr.length < 1_000_000) stderr += chunk;
      });
      child.stdin.on('error', () => {}); // EPIPE when the program exits early (-bail)
      child.on('error', (err: NodeJS.ErrnoException) => {
        const notFound = err.code === 'ENOENT';
        finish({ stdout, stderr: notFound ? `${program}: command not found` : err.message, exitCode: notFound ? 127 : null });
      });
      child.on('close', (code, sig) => {
        if (killTimer) clearTimeout(killTimer);
        finish({ stdout, stderr, exitCode: code, signal: sig });
      });
      child.stdin.end(stdin);
    });
  },
};
