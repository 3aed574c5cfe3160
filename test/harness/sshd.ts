// A real OpenSSH server for tests: `/usr/sbin/sshd -D -e -f <tmp config>` on a free 127.0.0.1 port with a
// throw-away ed25519 host key, public key auth only (no passwords, no root login), logging in as a
// dedicated unprivileged user (`rbtest`, created once with useradd). Needs root (to run sshd and create the
// user) and Debian's openssh-server: sshdSkipReason() says why not otherwise. Each instance has its own
// directory (keys, authorized_keys, known_hosts, config, pid file) and is killed on stop() and at exit.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';

export const SSHD = '/usr/sbin/sshd';
export const TEST_USER = 'rbtest';

/** Why SSH tests cannot run here, or undefined when they can. */
export function sshdSkipReason(): string | undefined {
  if (!existsSync(SSHD)) return `${SSHD} is missing: install openssh-server (bash scripts/install-debian-packages.sh)`;
  if (!existsSync('/usr/bin/ssh-keygen')) return 'ssh-keygen is missing: install openssh-client';
  if (process.getuid?.() !== 0) return 'the SSH tests start sshd and create a test user: run them as root (as CI does)';
  return undefined;
}

/** Creates the test user if missing (idempotent, safe when several test files do it at once). */
export function ensureTestUser(user = TEST_USER): void {
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      execFileSync('id', ['-u', user], { stdio: 'ignore' });
      break;
    } catch {
      try {
        execFileSync('useradd', ['-m', '-s', '/bin/bash', user], { stdio: 'ignore' });
        break;
      } catch {
        sleepSync(100); // another process holds the passwd lock, or created the user meanwhile
      }
    }
  }
  // useradd leaves the password locked ("!"), and sshd without PAM refuses locked accounts: "*" means
  // "no password" without locking. Password logins stay off in sshd_config anyway.
  const shadow = readFileSync('/etc/shadow', 'utf8').split('\n').find((l) => l.startsWith(`${user}:`));
  if (shadow?.split(':')[1]?.startsWith('!')) execFileSync('usermod', ['-p', '*', user], { stdio: 'ignore' });
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // privilege separation directory
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Generates an ed25519 key pair (`path`, `path.pub`), optionally encrypted. */
export function makeKey(path: string, options: { passphrase?: string; comment?: string } = {}): string {
  rmSync(path, { force: true });
  rmSync(`${path}.pub`, { force: true });
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', options.passphrase ?? '', '-C', options.comment ?? 'runbook-test', '-f', path], { stdio: 'ignore' });
  return path;
}

/** `ssh-keygen -lf` of a public key file: the reference fingerprint (`SHA256:…`). */
export function sshKeygenFingerprint(pubPath: string): string {
  return execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', pubPath], { encoding: 'utf8' }).split(' ')[1]!;
}

export { freePort };

export interface SshdOptions {
  user?: string;
  /** Extra sshd_config lines. */
  config?: string[];
  /** Default VERBOSE; DEBUG1 logs forwarding requests. */
  logLevel?: string;
}

const live = new Set<Sshd>();
let exitHook = false;

export class Sshd {
  readonly dir: string;
  readonly user: string;
  readonly host = '127.0.0.1';
  port = 0;
  /** The user's private key (authorized) and the host's public key line. */
  readonly userKey: string;
  readonly hostKey: string;
  readonly knownHostsFile: string;
  readonly log: string[] = [];
  private child: ChildProcess | undefined;

  constructor(private readonly options: SshdOptions = {}) {
    this.user = options.user ?? TEST_USER;
    // World-readable directory: sshd reads authorized_keys as the test user.
    this.dir = mkdtempSync(join(tmpdir(), 'rb-sshd-'));
    chmodSync(this.dir, 0o755);
    this.hostKey = makeKey(join(this.dir, 'host_ed25519'), { comment: 'host' });
    this.userKey = makeKey(join(this.dir, 'user_ed25519'), { comment: 'user' });
    writeFileSync(join(this.dir, 'authorized_keys'), readFileSync(`${this.userKey}.pub`), { mode: 0o644 });
    this.knownHostsFile = join(this.dir, 'known_hosts');
  }

  /** The host's public key as `type base64`. */
  get hostPublicKey(): string {
    return readFileSync(`${this.hostKey}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  }

  /** The known_hosts line for this server. */
  get knownHostsLine(): string {
    return `[${this.host}]:${this.port} ${this.hostPublicKey}`;
  }

  get label(): string {
    return `${this.user}@${this.host}:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Adds a public key (file path) to authorized_keys. */
  authorize(pubPath: string): void {
    appendFileSync(join(this.dir, 'authorized_keys'), readFileSync(pubPath));
  }

  /** Starts (or restarts, same port and keys) and resolves once sshd listens. */
  async start(): Promise<this> {
    ensureTestUser(this.user);
    for (let attempt = 0; attempt < 5; attempt++) {
      if (!this.port || attempt > 0) this.port = await freePort();
      writeFileSync(this.knownHostsFile, `${this.knownHostsLine}\n`);
      const config = join(this.dir, 'sshd_config');
      writeFileSync(config, this.configText());
      try {
        await this.spawn(config);
        return this;
      } catch (e) {
        if (!/Address already in use|Bind to port/.test(String(e)) || attempt === 4) throw e;
      }
    }
    return this;
  }

  /** Restarts on the same port (after stop()). */
  async restart(): Promise<this> {
    const config = join(this.dir, 'sshd_config');
    await this.spawn(config);
    return this;
  }

  /**
   * Kills sshd: the listener and every per-connection sshd process (clients see the connection drop).
   * Processes the user started stay, as after a network failure.
   */
  stop(): void {
    const pid = this.child?.pid;
    this.child = undefined;
    if (pid === undefined) return;
    const tree = descendants(pid).filter((p) => p.comm === 'sshd' || p.comm.startsWith('sshd'));
    for (const p of [pid, ...tree.map((t) => t.pid)]) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    live.delete(this);
  }

  /** Stops and removes the directory. */
  dispose(): void {
    this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The per-connection sshd processes (to freeze them with SIGSTOP, for instance). */
  connectionProcesses(): number[] {
    const pid = this.child?.pid;
    return pid === undefined ? [] : descendants(pid).filter((p) => p.comm.startsWith('sshd')).map((p) => p.pid);
  }

  private configText(): string {
    return [
      `Port ${this.port}`,
      `ListenAddress ${this.host}`,
      `HostKey ${this.hostKey}`,
      `PidFile ${join(this.dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(this.dir, 'authorized_keys')}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin no',
      'PermitEmptyPasswords no',
      `AllowUsers ${this.user}`,
      'UsePAM no',
      'StrictModes no',
      'AllowTcpForwarding yes',
      'X11Forwarding no',
      'PrintMotd no',
      'PrintLastLog no',
      'MaxStartups 100',
      'MaxSessions 100',
      'ClientAliveInterval 0',
      `LogLevel ${this.options.logLevel ?? 'VERBOSE'}`,
      ...(this.options.config ?? []),
      '',
    ].join('\n');
  }

  private spawn(config: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
      this.child = child;
      live.add(this);
      if (!exitHook) {
        exitHook = true;
        process.once('exit', () => {
          for (const s of live) s.stop();
        });
      }
      let buf = '';
      let up = false;
      const timer = setTimeout(() => reject(new Error(`sshd did not start within 10 s:\n${buf}`)), 10_000);
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (t: string) => {
        buf += t;
        const lines = buf.split('\n');
        buf = lines.pop()!;
        for (const raw of lines) {
          const l = raw.replace(/\r$/, ''); // sshd -e ends its lines with CRLF
          this.log.push(l);
          if (!up && /Server listening on/.test(l)) {
            up = true;
            clearTimeout(timer);
            resolve();
          }
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (!up) reject(new Error(`sshd exited (${code ?? signal}) before listening:\n${this.log.slice(-20).join('\n')}\n${buf}`));
      });
    });
  }
}

/** Starts a test sshd (throws if it cannot: check sshdSkipReason() first). */
export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  return new Sshd(options).start();
}

interface Proc {
  pid: number;
  ppid: number;
  comm: string;
}

function procs(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const open = stat.indexOf('(');
      const close = stat.lastIndexOf(')');
      out.push({ pid: Number(name), comm: stat.slice(open + 1, close), ppid: Number(stat.slice(close + 2).split(' ')[1]) });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

function descendants(root: number): Proc[] {
  const all = procs();
  const out: Proc[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.pop()!;
    for (const p of all) {
      if (p.ppid === pid) {
        out.push(p);
        queue.push(p.pid);
      }
    }
  }
  return out;
}

/** Processes of the test user whose command line contains `marker` (pid and args), as `ps -u` lists them. */
export function userProcesses(marker: string, user = TEST_USER): string[] {
  let out: string;
  try {
    out = execFileSync('ps', ['-u', user, '-o', 'pid=,args='], { encoding: 'utf8' });
  } catch {
    return []; // ps exits 1 when the user has no process
  }
  return out.split('\n').map((l) => l.trim()).filter((l) => l && l.includes(marker));
}

/** Kills the test user's processes whose command line contains `marker` (test cleanup, by pid). */
export function killUserProcesses(marker: string, user = TEST_USER): void {
  for (const line of userProcesses(marker, user)) {
    try {
      process.kill(Number(line.split(/\s+/)[0]), 'SIGKILL');
    } catch {
      // gone
    }
  }
}
