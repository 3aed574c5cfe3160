// Helpers shared by the SSH tests: targets pointing at a test sshd, pools with scripted answers, and
// sessions that are disposed after the test file.
import { after } from 'node:test';
import { ShellSession } from '../../src/core/shell/session.js';
import type { ShellSessionOptions } from '../../src/core/shell/types.js';
import { SshPool, type SshAsk, type SshConnectionOptions, type HostKeyQuestion } from '../../src/core/ssh/index.js';
import { resolveTarget, type FrontMatterHosts, type SshTargetSettings } from '../../src/core/ssh/targets.js';
import { sshTransport } from '../../src/core/ssh/sshTransport.js';
import type { Sshd } from './sshd.js';

export const testEnv = { homeDir: '/nonexistent-home', localUser: 'nobody-local' };

/** Front matter hosts entry for a test sshd. */
export function hostEntry(sshd: Sshd, extra: Partial<FrontMatterHosts[string]> = {}): FrontMatterHosts[string] {
  return { ssh: `${sshd.user}@${sshd.host}`, port: sshd.port, identityFile: sshd.userKey, ...extra };
}

export function targetFor(sshd: Sshd, name = 'box', extra: Partial<FrontMatterHosts[string]> = {}): SshTargetSettings {
  return resolveTarget(name, { [name]: hostEntry(sshd, extra) }, undefined, testEnv);
}

/** Answers recorded for assertions. */
export interface RecordingAsk extends SshAsk {
  hostKeyQuestions: HostKeyQuestion[];
  passphraseQuestions: string[];
}

export function recordingAsk(answers: { hostKey?: boolean; passphrase?: string } = {}): RecordingAsk {
  const ask: RecordingAsk = {
    hostKeyQuestions: [],
    passphraseQuestions: [],
    async confirmHostKey(q) {
      ask.hostKeyQuestions.push(q);
      return answers.hostKey ?? false;
    },
    async passphrase(path) {
      ask.passphraseQuestions.push(path);
      return answers.passphrase;
    },
  };
  return ask;
}

const pools: SshPool[] = [];
const sessions: ShellSession[] = [];
after(() => {
  for (const s of sessions) s.dispose();
  // Let the kill commands of disposed sessions go out before the connections close.
  return new Promise<void>((r) => setTimeout(() => {
    for (const p of pools) p.close();
    r();
  }, 300));
});

export function newPool(knownHostsFiles: string[], ask: SshAsk = recordingAsk(), extra: Partial<SshConnectionOptions> = {}): SshPool {
  const p = new SshPool({ ask, knownHostsFiles, agent: false, ...extra });
  pools.push(p);
  return p;
}

export function sshSession(pool: SshPool, settings: SshTargetSettings, options: Omit<ShellSessionOptions, 'transport'> = {}): ShellSession {
  const s = new ShellSession({ ...options, transport: sshTransport(pool.get(settings.ssh)) });
  sessions.push(s);
  return s;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * `p`, or a rejection naming `what` after `ms`: a failure timeout, so a test whose awaited event never comes
 * fails with a reason instead of hanging (not a speed claim: speed targets belong in `npm run bench`).
 */
export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s`)), ms); });
  try {
    return await Promise.race([p, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `fn` until it returns true or `ms` pass. */
export async function eventually(fn: () => boolean, ms = 3000, step = 50): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (fn()) return true;
    if (Date.now() > end) return false;
    await sleep(step);
  }
}
