// One SSH connection to one hop (ssh2 Client), made on first use and made again on the next use after it
// dropped. Host keys are checked against known_hosts (hostKeyPolicy), auth uses the agent and key files
// (auth), keepalive is on, and a hop behind jump hosts is reached through `forwardOut` on the previous
// hop's connection. Shell sessions, exec and tunnels all share it (see pool.ts).

import { randomBytes } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { Client, ClientChannel, ConnectConfig } from 'ssh2';
import { ssh2 } from '../util/lazy.js';
import { authPlan } from './auth.js';
import { Deadline } from './deadline.js';
import { SshError, errorMessage, socketError } from './errors.js';
import { forwardLocal, type LocalForward } from './forward.js';
import { acceptHostKey, preferredHostKeyAlgorithms, type HostKeyQuestion } from './hostKeyPolicy.js';
import { PassphraseCache } from './passphrases.js';
import { startProxyCommand, type ProxyProcess } from './proxyCommand.js';
import { remoteSignal } from './remoteProcesses.js';
import { selectShellProcesses } from '../shell/processTree.js';
import { quoteShell } from '../shell/quote.js';
import type { SshHop } from './targets.js';

/** Questions only the user can answer (the extension shows them; tests answer them). */
/** A command's exit: its status, or the signal that killed it ("SIGKILL"). */
export interface ExitStatus {
  code: number | null;
  signal: string | null;
}

const exitStatuses = new WeakMap<ClientChannel, ExitStatus>();

/** The exit status of a channel from openExec, when it has already arrived (listen to 'exit' otherwise). */
export function exitStatus(ch: ClientChannel): ExitStatus | undefined {
  return exitStatuses.get(ch);
}

/** ssh2 names signals "SIGKILL" already (the protocol says "KILL"). */
export function signalName(s: string | undefined): string | null {
  if (!s) return null;
  return s.startsWith('SIG') ? s : `SIG${s}`;
}

export interface SshAsk {
  /** An unknown host key: trust it (and record it in known_hosts)? */
  confirmHostKey(question: HostKeyQuestion): Promise<boolean>;
  /** Passphrase of an encrypted key file; undefined to skip the key. */
  passphrase(keyPath: string): Promise<string | undefined>;
}

export interface SshConnectionOptions {
  ask: SshAsk;
  /** known_hosts files read in order (a hop's UserKnownHostsFile wins); new keys go to the first. Default ~/.ssh/known_hosts. */
  knownHostsFiles?: string[];
  /** Agent socket (default $SSH_AUTH_SOCK); false: no agent. */
  agent?: string | false;
  /** Default 15 s; 3 unanswered keepalives drop the connection. */
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** TCP connect plus handshake (time spent waiting for the user excluded). Default 15 s. */
  connectTimeoutMs?: number;
  /** Hash host names in new known_hosts entries. */
  hashKnownHosts?: boolean;
  /** Shared by the connections of a pool (PassphraseCache). */
  passphrases?: PassphraseCache;
}

export interface ExecResult {
  code: number | null;
  signal: string | null;
  stdout: Buffer;
  stderr: Buffer;
}

export interface ExecOptions {
  stdin?: string | Buffer;
  /** Aborting kills the command's remote process tree (see exec). */
  signal?: AbortSignal;
  /** Output kept per stream (default 16 MiB); the rest is dropped. */
  maxBytes?: number;
}

export type ViaProvider = (hop: SshHop) => SshConnection;

const DEFAULT_KEEPALIVE_MS = 15_000;
const DEFAULT_KEEPALIVE_COUNT = 3;
const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;
/** A channel closing without exit status is followed this soon by its connection's close when that dropped. */
const DROP_GRACE_MS = 300;

export class SshConnection {
  private client: Client | undefined;
  private opening: Promise<Client> | undefined;
  /** Incremented by each successful connect: channels remember theirs to tell a drop from a reconnect. */
  private gen = 0;
  private readonly dropped = new Map<number, string>();
  private dropListeners = new Set<(generation: number, reason: string) => void>();
  private afterConnect: Array<() => Promise<void>> = [];
  private readonly passphrases: PassphraseCache;
  private closed = false;

  constructor(
    readonly hop: SshHop,
    private readonly options: SshConnectionOptions,
    private readonly via: ViaProvider = (h) => new SshConnection(h, options),
  ) {
    this.passphrases = options.passphrases ?? new PassphraseCache();
  }

  get label(): string {
    return this.hop.label;
  }

  get connected(): boolean {
    return this.client !== undefined;
  }

  /** The current connection's number (0 before the first). */
  get generation(): number {
    return this.gen;
  }

  /** The keepalive actually configured on the ssh2 client. */
  get keepalive(): { intervalMs: number; countMax: number } {
    return {
      intervalMs: this.hop.keepaliveIntervalMs ?? this.options.keepaliveIntervalMs ?? DEFAULT_KEEPALIVE_MS,
      countMax: this.hop.keepaliveCountMax ?? this.options.keepaliveCountMax ?? DEFAULT_KEEPALIVE_COUNT,
    };
  }

  get knownHostsFiles(): string[] {
    return this.hop.knownHostsFiles ?? this.options.knownHostsFiles ?? [join(homedir(), '.ssh', 'known_hosts')];
  }

  /** Why connection number `generation` dropped (undefined while it is up, or never was). */
  lostReason(generation: number): string | undefined {
    return this.dropped.get(generation);
  }

  /** Called when a connection that was up drops (with its generation and why). Returns an unsubscribe. */
  onDrop(listener: (generation: number, reason: string) => void): () => void {
    this.dropListeners.add(listener);
    return () => this.dropListeners.delete(listener);
  }

  /** Runs `task` in the background after the next successful (re)connect (cleanup of what a drop left). */
  runAfterNextConnect(task: () => Promise<void>): void {
    this.afterConnect.push(task);
  }

  /** The connected client: connects (again) when there is none. */
  connect(): Promise<Client> {
    if (this.closed) return Promise.reject(new SshError('other', `the SSH connection to ${this.label} was closed`, this.label));
    if (this.client) return Promise.resolve(this.client);
    this.opening ??= this.open().finally(() => (this.opening = undefined));
    return this.opening;
  }

  /** Opens an exec channel (no pty: stdout and stderr stay apart). `generation`: only on that connection, never reconnecting. */
  async openExec(command: string, generation?: number): Promise<ClientChannel> {
    const client = await this.clientFor(generation);
    return new Promise((resolve, reject) => {
      try {
        client.exec(command, (err, ch) => {
          if (err) return reject(this.channelError(err, 'run a command'));
          // A quick command's data, exit status and close can come in the same packet batch as the channel's
          // opening: the exit event fires before the caller (after an await) listens. Kept here for it.
          ch.once('exit', (code: number | null, signal?: string) => exitStatuses.set(ch, { code: code ?? null, signal: signalName(signal) }));
          resolve(ch);
        });
      } catch (e) {
        reject(this.channelError(e, 'run a command'));
      }
    });
  }

  /**
   * Runs a command to completion, collecting its output. Rejects with kind 'lost' if the connection drops
   * meanwhile. With `signal`, the command runs as a session leader whose pid is reported first, so an
   * abort kills its whole remote tree (closing the channel alone would leave it running) and resolves
   * with signal SIGKILL.
   */
  async exec(command: string, options: ExecOptions = {}, generation?: number): Promise<ExecResult> {
    const token = options.signal ? `__RB_EXEC_${randomBytes(6).toString('hex')}` : '';
    const ch = await this.openExec(token ? `echo ${token}:$$; exec /bin/sh -c ${quoteShell(command)}` : command, generation);
    const gen = this.gen;
    const max = options.maxBytes ?? 16 * 1024 * 1024;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let head = token ? '' : undefined; // stdout before the pid line (killable mode)
    let pid: number | undefined;
    let aborted = false;
    const keep = (b: Buffer) => {
      if (outBytes < max) out.push(b);
      outBytes += b.length;
    };
    const killTree = () => {
      if (pid === undefined) return;
      const leader = pid;
      void remoteSignal(this, gen, ({ procs }) => ({ signal: 'SIGKILL', pids: [-leader, leader, ...selectShellProcesses(procs, leader)] }))
        .catch(() => 0)
        .finally(() => ch.close());
    };
    return new Promise((resolve, reject) => {
      let code: number | null = null;
      let signal: string | null = null;
      let exited = false;
      ch.on('data', (b: Buffer) => {
        if (head === undefined) return keep(b);
        head += b.toString('latin1');
        const m = new RegExp(`${token}:(\\d+)\\n`).exec(head);
        if (!m) return;
        pid = Number(m[1]);
        const rest = Buffer.from(head.slice(m.index + m[0].length), 'latin1');
        head = undefined;
        if (rest.length) keep(rest);
        if (aborted) killTree();
      });
      ch.stderr.on('data', (b: Buffer) => {
        if (errBytes < max) err.push(b);
        errBytes += b.length;
      });
      const onExit = (status: ExitStatus) => {
        exited = true;
        code = status.code;
        signal = status.signal;
      };
      const early = exitStatus(ch);
      if (early) onExit(early);
      else ch.on('exit', (c: number | null, s?: string) => onExit({ code: c ?? null, signal: signalName(s) }));
      const onAbort = () => {
        aborted = true;
        killTree(); // or as soon as the pid is known
      };
      if (options.signal?.aborted) onAbort();
      else options.signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err) });
      ch.on('close', () => {
        options.signal?.removeEventListener('abort', onAbort);
        if (aborted) {
          code = null;
          signal = 'SIGKILL';
          return done();
        }
        if (exited) return done();
        // No exit status: if the connection drops right after (it closes its channels first), say so.
        void this.whenDropped(gen, DROP_GRACE_MS).then((why) =>
          why === undefined ? done() : reject(new SshError('lost', `lost the SSH connection to ${this.label} while running a command (${why})`, this.label)),
        );
      });
      if (options.stdin !== undefined) ch.end(options.stdin);
      else ch.end();
    });
  }

  /** Why connection `generation` dropped, waiting up to `ms` for it to happen; undefined if it did not. */
  whenDropped(generation: number, ms: number): Promise<string | undefined> {
    const now = this.dropped.get(generation);
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve) => {
      const off = this.onDrop((g, why) => {
        if (g !== generation) return;
        clearTimeout(timer);
        off();
        resolve(why);
      });
      const timer = setTimeout(() => {
        off();
        resolve(undefined);
      }, ms);
    });
  }

  /** A stream to `host:port` as seen from this hop (direct-tcpip). */
  async forwardOut(host: string, port: number): Promise<ClientChannel> {
    const client = await this.connect();
    return new Promise((resolve, reject) => {
      try {
        client.forwardOut('127.0.0.1', 0, host, port, (err, ch) => (err ? reject(this.channelError(err, `open a connection to ${host}:${port}`)) : resolve(ch)));
      } catch (e) {
        reject(this.channelError(e, `open a connection to ${host}:${port}`));
      }
    });
  }

  /** A listener on 127.0.0.1 (`localPort`, default any free port) whose connections reach `host:port` from this hop. */
  forwardLocal(host: string, port: number, options: { localPort?: number } = {}): Promise<LocalForward> {
    return forwardLocal(() => this.forwardOut(host, port), options.localPort ?? 0);
  }

  /** Ends the connection; later calls fail. */
  close(): void {
    this.closed = true;
    this.client?.end();
  }

  private async clientFor(generation: number | undefined): Promise<Client> {
    if (generation === undefined) return this.connect();
    if (generation !== this.gen || !this.client) {
      throw new SshError('lost', `the SSH connection to ${this.label} was lost (${this.dropped.get(generation) ?? 'closed'})`, this.label);
    }
    return this.client;
  }

  private channelError(e: unknown, what: string): SshError {
    if (!this.client) return new SshError('lost', `lost the SSH connection to ${this.label} (could not ${what})`, this.label);
    return new SshError('channel', `${this.label} refused to ${what}: ${errorMessage(e)}`, this.label);
  }

  private async open(): Promise<Client> {
    const hop = this.hop;
    const timeoutMs = hop.connectTimeoutMs ?? this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    let sock: Duplex;
    let proxy: ProxyProcess | undefined;
    if (hop.proxyCommand !== undefined) {
      // Never connected to directly: the command is the way there (bastions, AWS SSM, corporate proxies).
      proxy = startProxyCommand(hop.proxyCommand, hop.label);
      sock = proxy.sock;
    } else if (hop.via) {
      const via = this.via(hop.via);
      try {
        sock = await via.forwardOut(hop.host, hop.port);
      } catch (e) {
        if (e instanceof SshError && e.kind === 'channel') {
          throw new SshError('jump', `the jump host ${via.label} could not reach ${hop.host}:${hop.port} for ${hop.label} (${errorMessage(e).replace(/^.*?: /, '')})`, hop.label);
        }
        throw new SshError(e instanceof SshError ? e.kind : 'other', `${errorMessage(e)} (jump host on the way to ${hop.label})`, hop.label);
      }
    } else {
      sock = await tcpConnect(hop, timeoutMs);
    }
    let client: Client;
    try {
      client = await this.handshake(sock, timeoutMs);
    } catch (e) {
      const why = await proxy?.explain(500);
      if (why && e instanceof SshError) throw new SshError(e.kind, `${e.message} (${why})`, hop.label);
      throw e;
    }
    this.attach(client);
    return client;
  }

  private handshake(sock: Duplex, timeoutMs: number): Promise<Client> {
    const hop = this.hop;
    return new Promise((resolve, reject) => {
      const client = new (ssh2().Client)();
      let settled = false;
      let failure: SshError | undefined;
      const fail = (err: SshError) => {
        if (settled) return;
        settled = true;
        deadline.stop();
        client.removeAllListeners('ready');
        client.on('error', () => {});
        client.end();
        sock.destroy();
        reject(err);
      };
      const deadline = new Deadline(timeoutMs, () =>
        fail(new SshError('timeout', `could not connect to ${hop.label}: no SSH handshake within ${Math.round(timeoutMs / 1000)} s`, hop.label)),
      );
      const files = this.knownHostsFiles;
      const agent = hop.identitiesOnly || hop.agent === false || this.options.agent === false
        ? undefined
        : (hop.agent || this.options.agent || process.env.SSH_AUTH_SOCK);
      const auth = authPlan({
        user: hop.user,
        agent,
        identityFiles: hop.identityFiles,
        passphrases: this.passphrases,
        askPassphrase: (p) => this.options.ask.passphrase(p),
        whileAsking: (fn) => deadline.without(fn),
      });
      // HostKeyAlias: known_hosts names the key by the alias alone (no port), as ssh does.
      const keyHost = hop.hostKeyAlias ?? hop.host;
      const keyPort = hop.hostKeyAlias !== undefined ? 22 : hop.port;
      const preferred = preferredHostKeyAlgorithms(keyHost, keyPort, files);
      const config: ConnectConfig = {
        sock,
        username: hop.user,
        readyTimeout: 0, // the Deadline above, which pauses while the user is asked
        keepaliveInterval: this.keepalive.intervalMs,
        keepaliveCountMax: this.keepalive.countMax,
        authHandler: auth.handler,
        hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
          deadline
            .without(() => acceptHostKey(key, {
              host: keyHost,
              port: keyPort,
              label: hop.label,
              knownHostsFiles: files,
              confirm: (q) => this.options.ask.confirmHostKey(q),
              hash: this.options.hashKnownHosts ?? false,
            }))
            .then(
              () => verify(true),
              (e: unknown) => {
                failure = e instanceof SshError ? e : new SshError('other', errorMessage(e), hop.label);
                verify(false);
              },
            );
        },
        ...(preferred.length ? { algorithms: { serverHostKey: { remove: preferred, prepend: preferred } as never } } : {}),
      };
      client.on('ready', () => {
        if (settled) return;
        settled = true;
        deadline.stop();
        resolve(client);
      });
      client.on('error', (err: Error & { level?: string }) => {
        if (settled) return;
        if (failure) return fail(failure);
        if (err.level === 'agent') return; // the agent failed: ssh2 goes on with the key files
        if (err.level === 'client-authentication') {
          if (/All configured authentication methods failed/.test(err.message)) fail(authError(hop, auth.serverMethods(), auth.tried()));
          return; // a key that could not sign: the next one is tried
        }
        if (err.level === 'client-socket' || (err as NodeJS.ErrnoException).code) {
          return fail(socketError(err as NodeJS.ErrnoException, hop.label, hop.host, hop.port));
        }
        if (/before handshake/i.test(err.message)) {
          return fail(new SshError('lost', `could not connect to ${hop.label}: the connection closed before the SSH handshake (not an SSH server, or a firewall/proxy in the way?)`, hop.label));
        }
        fail(new SshError('other', `could not connect to ${hop.label}: ${err.message}`, hop.label));
      });
      client.on('close', () => {
        if (!settled) fail(failure ?? new SshError('lost', `${hop.label} closed the connection during the SSH handshake`, hop.label));
      });
      try {
        client.connect(config);
      } catch (e) {
        fail(new SshError('other', `could not connect to ${hop.label}: ${errorMessage(e)}`, hop.label));
      }
    });
  }

  private attach(client: Client): void {
    const generation = ++this.gen;
    this.client = client;
    let reason: string | undefined;
    client.on('error', (err: Error & { level?: string }) => {
      reason ??= err.level === 'client-timeout' || /keepalive/i.test(err.message)
        ? `no answer to ${this.keepalive.countMax} keepalives`
        : err.message;
    });
    const onGone = () => {
      if (this.dropped.has(generation)) return;
      const why = reason ?? (this.closed ? 'closed' : 'the server closed the connection');
      this.dropped.set(generation, why);
      if (this.client === client) this.client = undefined;
      for (const l of [...this.dropListeners]) l(generation, why);
    };
    client.on('end', onGone);
    client.on('close', onGone);
    if (this.closed) client.end();
    const tasks = this.afterConnect;
    this.afterConnect = [];
    for (const t of tasks) void t().catch(() => {});
  }
}

function authError(hop: SshHop, methods: string[], tried: string[]): SshError {
  const what = tried.length ? `tried ${tried.join(', ')}` : `no ssh-agent and none of the key files exist (${hop.identityFiles.join(', ') || 'none configured'})`;
  return new SshError('auth', `permission denied for ${hop.label} (${methods.join(',') || 'publickey'}): ${what}`, hop.label);
}

function tcpConnect(hop: SshHop, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = netConnect({ host: hop.host, port: hop.port });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new SshError('timeout', `could not connect to ${hop.label}: timed out after ${Math.round(timeoutMs / 1000)} s (host unreachable or a firewall drops the packets)`, hop.label));
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.setNoDelay(true);
      resolve(sock); // later socket errors reach ssh2's own listener (and the 'once' above is spent or harmless)
    });
    sock.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(socketError(err, hop.label, hop.host, hop.port));
    });
  });
}
