// Runs the `runbook` CLI as a real child process that tests can watch, signal and wait for.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './helpers.js';

export interface CliRun {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (128 + n when killed by signal n), or 'hung' after `ms`. */
  exited: (ms?: number) => Promise<number | 'hung'>;
  /** Resolves once stderr contains `text` (rejects after `ms`). */
  waitForStderr: (text: string | RegExp, ms?: number) => Promise<void>;
}

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
  // 'exit', not 'close': a daemon the CLI started may hold the pipes after the CLI is gone.
  const exit = new Promise<number>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? 128 + (SIGNALS[signal ?? ''] ?? 0)));
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited: (ms = 60_000) => {
      let timer: NodeJS.Timeout | undefined;
      const hung = new Promise<'hung'>((r) => (timer = setTimeout(() => r('hung'), ms)));
      return Promise.race([exit, hung]).finally(() => clearTimeout(timer));
    },
    waitForStderr: (text, ms = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const seen = () => (typeof text === 'string' ? err.includes(text) : text.test(err));
        if (seen()) return resolve();
        const timer = setTimeout(() => reject(new Error(`stderr never showed ${String(text)}:\n${err}`)), ms);
        const check = () => {
          if (!seen()) return;
          clearTimeout(timer);
          child.stderr!.off('data', check);
          resolve();
        };
        child.stderr!.on('data', check);
      }),
  };
}

/** Pids of live (not zombie) processes whose command line is exactly `args` (NUL-separated in /proc). */
export function processesRunning(args: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      if (cmd !== args) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (/^\d+ \(.*\) Z/.test(stat)) continue;
      out.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** Kills (SIGKILL) the given pids: test cleanup of processes that survive on purpose. */
export function killPids(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

export function sleepMs(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `fn` until it returns true or `ms` pass. */
export async function until(fn: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (fn()) return true;
    if (Date.now() > end) return false;
    await sleepMs(50);
  }
}
