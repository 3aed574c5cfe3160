// ProxyCommand as OpenSSH runs it (sshconnect.c ssh_proxy_connect): `$SHELL -c "exec <command>"` (/bin/sh
// without $SHELL), tokens already expanded, its stdin/stdout the SSH transport and its stderr the user's
// (kept here for the error message). The process belongs to the connection: killed when the stream closes.

import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { Duplex } from 'node:stream';
import { SshError, errorMessage } from './errors.js';

export interface ProxyProcess {
  sock: Duplex;
  /** Why the command is no longer running (exit code, signal, stderr tail), waiting up to `ms` for it to end. */
  explain(ms: number): Promise<string | undefined>;
}

const STDERR_KEEP = 2000;

export function startProxyCommand(command: string, label: string): ProxyProcess {
  const shell = process.env.SHELL || '/bin/sh';
  const child = spawn(shell, ['-c', `exec ${command}`], { stdio: ['pipe', 'pipe', 'pipe'], cwd: homedir(), env: process.env });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    stderr = (stderr + s).slice(-STDERR_KEEP);
  });
  let exit: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = signal ? `was killed by ${signal}` : `exited with status ${code}`;
      resolve();
    });
    child.once('error', (e) => {
      exit = `could not start (${errorMessage(e)})`;
      resolve();
    });
  });
  const sock = Duplex.from({ readable: child.stdout, writable: child.stdin });
  child.once('error', (e) => sock.destroy(new SshError('other', `could not start the ProxyCommand for ${label}: ${errorMessage(e)}`, label)));
  child.stdin.on('error', () => {}); // EPIPE once the command is gone: the stream's close reports it
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  sock.once('close', kill);
  return {
    sock,
    async explain(ms: number) {
      await Promise.race([exited, new Promise((r) => setTimeout(r, ms).unref())]);
      if (exit === undefined) return undefined;
      const tail = stderr.trim().split('\n').slice(-3).join(' / ');
      return `the ProxyCommand \`${command}\` ${exit}${tail ? `: ${tail}` : ''}`;
    },
  };
}
