// A bash on this machine. Spawned detached so it leads its own session and process group: the whole tree
// can be found and killed without touching the editor's own processes.
// With util-linux `script` (prompt/ttyShell.ts) the bash runs on a pseudo-terminal of its own, so programs
// that ask (sudo, read, passwd) can: its commands, stdout and stderr stay on pipes (fds 3, 4, 5 of script),
// the terminal's input and output are script's stdin and stdout. The bash then leads a session of its own
// (script's child): its pid comes first on stdout, and that is the pid signalled and probed.
// The shell itself is a plain child_process.spawn, not execa (docs/DESIGN-NOTES.md "Local processes"): it lives
// for the whole session on six raw pipes, is started synchronously and is signalled by process group, which
// execa's one-shot model (buffered result, timeout, kill on settle) does not fit. One-shot helpers use execa.

import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { parseProbe, probeScript, type ProbeResult } from '../prompt/probe.js';
import { hasUtilLinuxScript, localScriptArgs } from '../prompt/ttyShell.js';
import { processesWithCookie, startedSince } from './cookie.js';
import { hangUpGroup, hangUpShell, killShellTree, listProcesses, selectShellProcesses, signalPids } from './processTree.js';
import { execaModule } from '../util/execa.js';
import { quoteShell } from './quote.js';
import type { RunningCell, ShellTransport, TransportExit, TransportFactory } from './transport.js';

export interface LocalTransportOptions {
  /** Shell binary (default "bash"). */
  shell?: string;
  cwd?: string;
  /** Environment of the shell (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /**
   * Give the shell a terminal so cells can ask for input (default: when util-linux `script` is installed).
   * false: cells read /dev/null, as without `script`.
   */
  terminal?: boolean;
  /** Runs the shell through this command (e.g. `setpriv --reuid=...` in tests: another user's session). */
  wrapper?: string[];
}

/** How long to wait for the output pipes to drain once the shell has exited. */
const DRAIN_MS = 200;

export function localTransport(options: LocalTransportOptions = {}): TransportFactory {
  return () => new LocalTransport(options);
}

// Shells still alive when this process exits would keep their background jobs running: hang them up.
const live = new Set<LocalTransport>();
let exitHookInstalled = false;
function track(t: LocalTransport): void {
  live.add(t);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const each of live) void each.kill();
    });
  }
}

class LocalTransport implements ShellTransport {
  private readonly child: ChildProcess;
  private readonly commands: Writable;
  private readonly out: Readable;
  private readonly err: Readable;
  /** The terminal's input (script's stdin); undefined without a terminal. */
  private readonly terminal: Writable | undefined;
  /** The shell's pid: the child's, or (with a terminal) the one it reports first. */
  private shellPid: number | undefined;
  private token: string | undefined;
  private head = '';
  private queued: string[] = [];
  private outListeners: Array<(chunk: Buffer) => void> = [];
  private exitListeners: Array<(exit: TransportExit) => void> = [];
  private exited: TransportExit | undefined;
  /** Set as soon as the shell is gone: its pid may be reused afterwards, so it is never signalled again. */
  private dead = false;
  /** Background jobs of finished cells (pid → start ms): not any later cell's to stop. */
  private jobs = new Map<number, number>();

  constructor(options: LocalTransportOptions) {
    const shell = options.shell ?? 'bash';
    const wrapper = options.wrapper ?? [];
    const useTerminal = options.terminal ?? hasUtilLinuxScript();
    const env = options.env ?? process.env;
    if (useTerminal) {
      this.token = `__RB_SHPID_${Math.random().toString(16).slice(2, 10)}`;
      const inner = `echo ${this.token}:$$ >&4; exec ${quoteShell(shell)} --noprofile --norc`;
      const args = localScriptArgs(inner, env.SHELL);
      this.child = spawn(wrapper[0] ?? 'script', [...wrapper.slice(1), ...(wrapper.length ? ['script'] : []), ...args], {
        cwd: options.cwd,
        env: { ...env, SHELL: '/bin/sh' },
        detached: true,
        stdio: ['pipe', 'pipe', 'pipe', 'pipe', 'pipe', 'pipe'],
      });
      const io = this.child.stdio as unknown as Array<Readable & Writable>;
      this.commands = io[3] as Writable;
      this.out = io[4] as Readable;
      this.err = io[5] as Readable;
      this.terminal = io[0] as Writable;
      // The terminal's output and script's own complaints belong with stderr.
      for (const r of [io[1] as Readable, io[2] as Readable]) r.on('data', (b: Buffer) => this.emitErr(b));
    } else {
      this.child = spawn(wrapper[0] ?? shell, [...wrapper.slice(1), ...(wrapper.length ? [shell] : []), '--noprofile', '--norc'], {
        cwd: options.cwd,
        env,
        detached: true,
        stdio: 'pipe',
      });
      this.commands = this.child.stdin!;
      this.out = this.child.stdout!;
      this.err = this.child.stderr!;
      this.terminal = undefined;
      this.shellPid = this.child.pid;
    }
    track(this);
    // A write after the shell died fails with EPIPE, a read may fail with ECONNRESET when it is killed: the
    // exit event reports what happened; an unhandled stream error would crash the editor's extension host.
    for (const stream of this.child.stdio as unknown as Array<Readable | null>) stream?.on('error', () => {});
    this.out.on('data', (b: Buffer) => this.onOut(b));
    this.err.on('data', (b: Buffer) => this.emitErr(b));
    this.child.on('error', (err) => this.finish({ code: null, signal: null, error: `could not start the shell (${err.message})` }));
    this.child.on('exit', (code, signal) => {
      const exit = this.token !== undefined ? shellExit(code, signal) : { code, signal };
      this.dead = true;
      // The shell ended (exit in a cell): hang up its jobs as a terminal would; the group outlives its leader.
      for (const pid of new Set([this.child.pid, this.shellPid])) if (pid !== undefined) hangUpGroup(pid);
      const timer = setTimeout(() => {
        this.letGo(); // a daemon that survived the hang-up holds the pipes
        this.finish(exit);
      }, DRAIN_MS);
      this.child.once('close', () => {
        clearTimeout(timer);
        this.finish(exit);
      });
    });
  }

  get started(): boolean {
    return this.shellPid !== undefined;
  }

  get pid(): number | undefined {
    return this.shellPid;
  }

  readonly probeMaxDelayMs = 2000;

  write(text: string): void {
    if (this.exited || !this.commands.writable) return;
    if (this.shellPid === undefined) this.queued.push(text);
    else this.commands.write(text);
  }

  writeInput(text: string): void {
    if (!this.exited && this.terminal?.writable) this.terminal.write(text);
  }

  async probeInput(): Promise<ProbeResult | undefined> {
    const pid = this.shellPid;
    if (!this.terminal || pid === undefined || this.dead) return undefined;
    const { execa } = await execaModule();
    const r = await execa('/bin/sh', ['-c', probeScript(pid)], { timeout: 5000, maxBuffer: 1 << 20, reject: false, stdin: 'ignore' });
    return r.failed && !r.stdout ? undefined : parseProbe(String(r.stdout));
  }

  onStdout(listener: (chunk: Buffer) => void): void {
    this.outListeners.push(listener);
  }

  onStderr(listener: (chunk: Buffer) => void): void {
    this.errListeners.push(listener);
  }

  private errListeners: Array<(chunk: Buffer) => void> = [];

  private emitErr(b: Buffer): void {
    for (const l of this.errListeners) l(b);
  }

  /** Stdout; with a terminal its first line is the shell's pid, and commands wait for it. */
  private onOut(b: Buffer): void {
    if (this.token === undefined || this.shellPid !== undefined) {
      for (const l of this.outListeners) l(b);
      return;
    }
    this.head += b.toString('latin1');
    const m = new RegExp(`${this.token}:(\\d+)\\n`).exec(this.head);
    if (!m) return;
    this.shellPid = Number(m[1]);
    const rest = Buffer.from(this.head.slice(m.index + m[0].length), 'latin1');
    this.head = '';
    for (const t of this.queued) this.commands.write(t);
    this.queued = [];
    if (rest.length) for (const l of this.outListeners) l(rest);
  }

  onExit(listener: (exit: TransportExit) => void): void {
    if (this.exited) listener(this.exited);
    else this.exitListeners.push(listener);
  }

  signalShell(signal: NodeJS.Signals): void {
    if (this.pid !== undefined && !this.dead) signalPids([this.pid], signal);
  }

  async signalCell(signal: NodeJS.Signals, sinceMs: number, untilMs?: number, cookie?: string): Promise<number> {
    if (this.pid === undefined || this.dead) return 0;
    const procs = listProcesses();
    const pids = selectShellProcesses(procs, this.pid, { sinceMs, untilMs, spare: this.jobs });
    const marked = cookie ? processesWithCookie(cookie, startedSince(procs, sinceMs)) : [];
    return signalPids([...new Set([...pids, ...marked])].filter((p) => p !== this.pid), signal);
  }

  rememberJobs(): void {
    if (this.pid === undefined || this.dead) return;
    try {
      const procs = listProcesses();
      const tree = new Set(selectShellProcesses(procs, this.pid));
      this.jobs = new Map(procs.filter((p) => tree.has(p.pid)).map((p) => [p.pid, p.startMs]));
    } catch {
      // No process list (no /proc, no ps): a later cancel may then stop these jobs too.
    }
  }

  async kill(running?: RunningCell): Promise<void> {
    if (!this.dead) {
      if (this.shellPid !== undefined) hangUpShell(this.shellPid, running, this.jobs);
      // `script` itself (its own session; the shell's is another) or a shell whose pid is not known yet.
      if (this.child.pid !== undefined && this.child.pid !== this.shellPid) {
        if (this.shellPid === undefined) killShellTree(this.child.pid);
        else signalPids([this.child.pid], 'SIGKILL');
      }
    }
    this.letGo();
  }

  /** A daemon that survives the hang-up on purpose may hold the pipes: let go of them, so this process (the
   *  CLI) can exit when its work is done. */
  private letGo(): void {
    for (const stream of this.child.stdio as unknown as Array<{ destroy(): void } | null>) stream?.destroy();
    this.child.unref();
  }

  private finish(exit: TransportExit): void {
    if (this.exited) return;
    this.exited = exit;
    live.delete(this);
    const listeners = this.exitListeners;
    this.exitListeners = [];
    for (const l of listeners) l(exit);
  }
}

/** `script -e` exits with 128+N when the shell was killed by signal N (as a shell reports it): say so. */
function shellExit(code: number | null, signal: NodeJS.Signals | null): { code: number | null; signal: string | null } {
  if (code === null || code <= 128) return { code, signal };
  const name = Object.entries(constants.signals).find(([, n]) => n === code - 128)?.[0];
  return name ? { code: null, signal: name } : { code, signal };
}
