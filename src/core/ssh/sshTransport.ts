// A ShellTransport over one ssh2 exec channel running `bash --noprofile --norc` on the remote host, with
// no pty (stdout and stderr stay apart). The session's framing is the same as for a local bash. The remote
// shell reports its pid first and the remote uptime (to place remote process start times on the local
// clock); signals go through separate exec channels on the same connection (remoteProcesses.ts), because
// signalling or closing the channel does not reach remote processes (ssh2 #382, #475).
// A dropped connection ends the transport with "lost the SSH connection to user@host:port (why)"; the
// next session run opens a new channel, which reconnects, and kills what the dropped shell left running.
// Where the host has util-linux `script`, the shell runs on a terminal of its own (prompt/ttyShell.ts): its
// commands and a cell's answers both go in on the channel's stdin, the terminal's output comes back with stderr.

import { randomBytes } from 'node:crypto';
import type { ClientChannel } from 'ssh2';
import { parseProbe, probeScript, type ProbeResult } from '../prompt/probe.js';
import { remoteTtyStartCommand } from '../prompt/ttyShell.js';
import { selectShellProcesses } from '../shell/processTree.js';
import type { RunningCell, ShellTransport, TransportExit, TransportFactory } from '../shell/transport.js';
import { exitStatus, signalName, type SshConnection } from './connection.js';
import { errorMessage } from './errors.js';
import { RemoteClock } from './remoteClock.js';
import { cellProcesses, remoteSignal, shellStartCommand, uptimeTicks, type RemoteProc } from './remoteProcesses.js';

export interface SshTransportOptions {
  /** Remote shell binary (default "bash"). */
  shell?: string;
}

/** How long a closed channel waits for the connection to report that it dropped. */
const DROP_GRACE_MS = 300;
/** Text the remote login shell prints before ours starts (motd-like noise) is kept up to this for errors. */
const MAX_PRELUDE = 64 * 1024;
/** Slack on remote start times, on top of the clock's own uncertainty. */
const MARGIN_MS = 20;

export function sshTransport(connection: SshConnection, options: SshTransportOptions = {}): TransportFactory {
  return () => new SshTransport(connection, options);
}

type Phase = 'opening' | 'pid' | 'clock' | 'running';

class SshTransport implements ShellTransport {
  pid: number | undefined;
  /** Start ticks of the remote shell: tells it from a later process that got its pid. */
  private ticks = 0;
  private phase: Phase = 'opening';
  private channel: ClientChannel | undefined;
  private generation: number | undefined;
  /** Writes wait here until the shell is up, and while a cut is being taken. */
  private queued: string[] = [];
  private holding = false;
  private readonly token = `__RB_PID_${randomBytes(6).toString('hex')}`;
  private prelude = { out: '', err: '' };
  private clockSentAt = 0;
  private readonly clock = new RemoteClock();
  /** Background jobs that finished cells left running on purpose: pid → start ticks (or start ms with ps). */
  private jobs = new Map<number, number>();
  /** A cell is being stopped (since this local time): the next cell starts only after a cut is taken. */
  private stoppingSince: number | undefined;
  /** Per stopped cell (by its start time): remote uptime ticks just before the next cell was sent. */
  private cuts = new Map<number, number>();
  /** A shell signal waiting to go with the next signalCell of this tick. */
  private shellSignal: NodeJS.Signals | undefined;
  private killed = false;
  private killing: Promise<void> = Promise.resolve();
  private dead = false;
  private exitStatus: { code: number | null; signal: string | null } | undefined;
  private exited: TransportExit | undefined;
  private readonly listeners = { out: [] as Array<(b: Buffer) => void>, err: [] as Array<(b: Buffer) => void>, exit: [] as Array<(e: TransportExit) => void> };

  constructor(
    private readonly conn: SshConnection,
    private readonly options: SshTransportOptions,
  ) {
    void this.open();
  }

  get started(): boolean {
    return this.phase === 'running';
  }

  write(text: string): void {
    if (this.dead || this.killed) return;
    if (this.phase === 'running' && this.stoppingSince !== undefined && !this.holding) void this.takeCut();
    if (this.phase === 'running' && !this.holding) this.channel!.write(text);
    else this.queued.push(text);
  }

  /** Answers go through the same terminal as the shell's commands (it is cooked while a cell runs). */
  writeInput(text: string): void {
    this.write(text);
  }

  readonly probeMaxDelayMs = 4000;
  /** Each signal is an exec channel (a round trip and a process listing): give the shell time to come back. */
  readonly restartAfterMs = 4000;

  async probeInput(): Promise<ProbeResult | undefined> {
    const pid = this.pid;
    if (pid === undefined || this.dead || this.killed) return undefined;
    try {
      const r = await this.conn.exec(probeScript(pid), {}, this.generation);
      return parseProbe(r.stdout.toString('utf8'));
    } catch {
      return undefined; // the connection is gone: the exit event reports that
    }
  }

  onStdout(listener: (chunk: Buffer) => void): void {
    this.listeners.out.push(listener);
  }

  onStderr(listener: (chunk: Buffer) => void): void {
    this.listeners.err.push(listener);
  }

  onExit(listener: (exit: TransportExit) => void): void {
    if (this.exited) listener(this.exited);
    else this.listeners.exit.push(listener);
  }

  signalShell(signal: NodeJS.Signals): void {
    if (this.pid === undefined || this.dead) return;
    // A signalCell in the same tick takes it along, after the cell's processes (as locally, they are
    // signalled before the shell leaves the cell); otherwise it goes on its own.
    this.shellSignal = signal;
    setImmediate(() => {
      const pending = this.shellSignal;
      this.shellSignal = undefined;
      const pid = this.pid;
      if (pending && pid !== undefined && !this.dead) {
        void remoteSignal(this.conn, this.generation, () => ({ signal: pending, pids: [pid] }), this.clock).catch(() => 0);
      }
    });
  }

  async signalCell(signal: NodeJS.Signals, sinceMs: number, untilMs?: number, cookie?: string): Promise<number> {
    if (this.pid === undefined || this.dead) return 0;
    if (untilMs === undefined) this.stoppingSince ??= sinceMs;
    const pid = this.pid;
    const shellSignal = this.shellSignal;
    this.shellSignal = undefined;
    // A later cell may already run: its processes started after the cut taken before it was sent.
    const cut = this.cuts.get(sinceMs);
    try {
      return await remoteSignal(
        this.conn,
        this.generation,
        (listing) => {
          const then = shellSignal ? [{ signal: shellSignal, pids: [pid] }] : [];
          if (!this.isOurShell(listing.procs)) return undefined;
          const window = { sinceMs, untilMs, marginMs: MARGIN_MS + listing.uncertaintyMs };
          const marked = (listing.cookiePids ?? []).filter((p) => p !== pid);
          return [{ signal, pids: [...new Set([...cellProcesses(listing.procs, pid, window, this.jobs, cut), ...marked])] }, ...then];
        },
        this.clock,
        cookie,
      );
    } catch {
      return 0; // the connection is gone: the exit event reports that
    }
  }

  rememberJobs(): void {
    if (this.pid === undefined || this.dead) return;
    const pid = this.pid;
    void remoteSignal(
      this.conn,
      this.generation,
      ({ procs }) => {
        if (this.isOurShell(procs)) {
          const tree = new Set(selectShellProcesses(procs, pid));
          this.jobs = new Map(procs.filter((p) => tree.has(p.pid)).map((p) => [p.pid, p.ticks ?? p.startMs]));
        }
        return undefined;
      },
      this.clock,
    ).catch(() => 0);
  }

  kill(running?: RunningCell): Promise<void> {
    if (this.killed) return this.killing;
    this.killed = true;
    this.queued = [];
    if (this.pid !== undefined && !this.dead) {
      this.killing = this.hangUp(this.generation, running).finally(() => this.channel?.close());
    } else {
      this.channel?.close();
    }
    return this.killing;
  }

  /** Remote uptime now, before the next cell's script goes out (writes are held meanwhile). */
  private async takeCut(): Promise<void> {
    this.holding = true;
    const since = this.stoppingSince!;
    this.stoppingSince = undefined;
    try {
      await remoteSignal(
        this.conn,
        this.generation,
        (listing) => {
          if (listing.uptimeMs !== undefined) this.cuts.set(since, uptimeTicks(listing.uptimeMs));
          return undefined;
        },
        this.clock,
      );
    } catch {
      // no listing: no cut (the connection is probably gone)
    }
    for (const k of [...this.cuts.keys()].slice(0, -8)) this.cuts.delete(k);
    this.holding = false;
    this.flush();
  }

  private flush(): void {
    if (this.phase !== 'running' || this.holding || this.dead || this.killed) return;
    const q = this.queued;
    this.queued = [];
    for (const t of q) this.channel!.write(t);
  }

  /**
   * A terminal's hang-up on the remote host (as processTree.hangUpShell locally): the running cell killed
   * (its cookie and its part of the tree), SIGHUP and SIGCONT to the shell's process group (sshd made the
   * shell a session and group leader; plain background jobs are in that group, `nohup` ignores SIGHUP,
   * `setsid` left it), then the shell killed. One exec channel; resolves when the signals went out.
   */
  private async hangUp(generation: number | undefined, running?: RunningCell): Promise<void> {
    const pid = this.pid;
    if (pid === undefined) return;
    await remoteSignal(
      this.conn,
      generation,
      (listing) => {
        if (!this.isOurShell(listing.procs)) return undefined;
        const cell = running
          ? [...cellProcesses(listing.procs, pid, { sinceMs: running.sinceMs, marginMs: MARGIN_MS + listing.uncertaintyMs }, this.jobs), ...(listing.cookiePids ?? [])]
          : [];
        return [
          { signal: 'SIGKILL', pids: [...new Set(cell)].filter((p) => p !== pid) },
          { signal: 'SIGHUP', pids: [-pid] },
          { signal: 'SIGCONT', pids: [-pid] },
          { signal: 'SIGKILL', pids: [pid] },
        ];
      },
      this.clock,
      running?.cookie,
    ).catch(() => 0);
  }

  /** The remote shell ended by itself (exit in a cell): its jobs are hung up as a terminal's would be. */
  private hangUpGroup(): void {
    const pid = this.pid;
    if (pid === undefined || !this.ticks) return;
    void remoteSignal(this.conn, this.generation, () => [{ signal: 'SIGHUP', pids: [-pid] }, { signal: 'SIGCONT', pids: [-pid] }], this.clock).catch(() => 0);
  }

  /** The listing still shows our shell (same pid and start ticks), so its pid was not reused. */
  private isOurShell(procs: RemoteProc[]): boolean {
    const me = procs.find((p) => p.pid === this.pid);
    if (!me) return procs.every((p) => p.ticks === undefined); // gone, unless ps cannot tell
    return me.ticks === undefined || !this.ticks || me.ticks === this.ticks;
  }

  private async open(): Promise<void> {
    let ch: ClientChannel;
    try {
      ch = await this.conn.openExec(remoteTtyStartCommand(shellStartCommand(this.token, this.options.shell)));
    } catch (e) {
      this.finish({ code: null, signal: null, error: errorMessage(e) });
      return;
    }
    this.channel = ch;
    this.generation = this.conn.generation;
    this.phase = 'pid';
    ch.on('data', (b: Buffer) => this.onData(b));
    ch.stderr.on('data', (b: Buffer) => {
      if (this.phase === 'running') this.emit('err', b);
      else if (this.prelude.err.length < MAX_PRELUDE) this.prelude.err += b.toString('utf8');
    });
    const early = exitStatus(ch);
    if (early) this.exitStatus = early;
    else ch.on('exit', (code: number | null, signal?: string) => {
      this.exitStatus = { code: code ?? null, signal: signalName(signal) };
    });
    ch.on('close', () => this.onClose());
    if (this.killed) ch.close();
  }

  private onData(b: Buffer): void {
    if (this.phase === 'running') return this.emit('out', b);
    this.prelude.out += b.toString('latin1'); // byte-preserving until our lines are found
    if (this.phase === 'pid') {
      const m = new RegExp(`${this.token}:(\\d+):(\\d+)\\n`).exec(this.prelude.out);
      if (!m) {
        if (this.prelude.out.length > MAX_PRELUDE) this.prelude.out = this.prelude.out.slice(-MAX_PRELUDE);
        return;
      }
      this.pid = Number(m[1]);
      this.ticks = Number(m[2]);
      this.prelude.out = this.prelude.out.slice(m.index + m[0].length);
      // One round trip on the live channel places the remote boot on the local clock (±half of it).
      this.phase = 'clock';
      this.clockSentAt = Date.now();
      this.channel!.write(`{ builtin read -r __rb_u __rb_x < /proc/uptime; } 2>/dev/null; builtin echo "${this.token}:U:\${__rb_u-}"; builtin unset __rb_u __rb_x\n`);
    }
    const u = new RegExp(`${this.token}:U:([0-9.]*)\\n`).exec(this.prelude.out);
    if (!u) return;
    if (u[1]) this.clock.observe(Number(u[1]) * 1000, this.clockSentAt, Date.now());
    const rest = Buffer.from(this.prelude.out.slice(u.index + u[0].length), 'latin1');
    this.prelude = { out: '', err: '' }; // login noise before our shell started: not the cell's output
    this.phase = 'running';
    this.flush();
    if (rest.length) this.emit('out', rest);
  }

  private onClose(): void {
    this.dead = true;
    if (this.phase !== 'running') {
      // The shell never started (no bash?): show what the login shell said.
      if (this.prelude.out) this.emit('out', Buffer.from(this.prelude.out, 'latin1'));
      if (this.prelude.err) this.emit('err', Buffer.from(this.prelude.err, 'utf8'));
    }
    if (this.exitStatus || this.killed) {
      if (this.exitStatus && !this.killed) this.hangUpGroup();
      this.finish(this.exitStatus ?? { code: null, signal: 'SIGKILL' });
      return;
    }
    // No exit status: the connection dropped (its close comes right after the channels' close).
    void this.conn.whenDropped(this.generation!, DROP_GRACE_MS).then((why) =>
      this.lostShell(
        why === undefined
          ? `the SSH channel to ${this.conn.label} closed without an exit status`
          : `lost the SSH connection to ${this.conn.label} (${why})`,
      ),
    );
  }

  private lostShell(message: string): void {
    // Whatever the dropped shell left running is killed once the connection is back (if its pid is still ours).
    if (this.pid !== undefined && !this.killed && this.ticks) {
      this.conn.runAfterNextConnect(() => this.hangUp(undefined));
    }
    this.finish({ code: null, signal: null, error: message });
  }

  private emit(stream: 'out' | 'err', b: Buffer): void {
    for (const l of this.listeners[stream]) l(b);
  }

  private finish(exit: TransportExit): void {
    if (this.exited) return;
    this.exited = exit;
    this.dead = true;
    const ls = this.listeners.exit;
    this.listeners.exit = [];
    for (const l of ls) l(exit);
  }
}
