// A bash on this machine. Spawned detached so it leads its own session and process group: the whole tree
// can be found and killed without touching the editor's own processes.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { killShellTree, listProcesses, selectShellProcesses, signalPids } from './processTree.js';
import type { ShellTransport, TransportExit, TransportFactory } from './transport.js';

export interface LocalTransportOptions {
  /** Shell binary (default "bash"). */
  shell?: string;
  cwd?: string;
  /** Environment of the shell (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

/** How long to wait for the output pipes to drain once the shell has exited. */
const DRAIN_MS = 200;

export function localTransport(options: LocalTransportOptions = {}): TransportFactory {
  return () => new LocalTransport(options);
}

// Shells still alive when this process exits would keep their background jobs running: kill them.
const live = new Set<LocalTransport>();
let exitHookInstalled = false;
function track(t: LocalTransport): void {
  live.add(t);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const each of live) each.kill();
    });
  }
}

class LocalTransport implements ShellTransport {
  private readonly child: ChildProcessWithoutNullStreams;
  private exitListeners: Array<(exit: TransportExit) => void> = [];
  private exited: TransportExit | undefined;
  /** Set as soon as the shell is gone: its pid may be reused afterwards, so it is never signalled again. */
  private dead = false;
  /** Background jobs of finished cells (pid → start ms): not any later cell's to stop. */
  private jobs = new Map<number, number>();

  constructor(options: LocalTransportOptions) {
    this.child = spawn(options.shell ?? 'bash', ['--noprofile', '--norc'], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: 'pipe',
    });
    track(this);
    // A write after the shell died fails with EPIPE, a read may fail with ECONNRESET when it is killed: the
    // exit event reports what happened; an unhandled stream error would crash the editor's extension host.
    for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr]) stream.on('error', () => {});
    this.child.on('error', (err) => this.finish({ code: null, signal: null, error: `could not start the shell (${err.message})` }));
    this.child.on('exit', (code, signal) => {
      const exit = { code, signal };
      this.dead = true;
      // Background jobs of a dead shell are orphans now and would hold the pipes open: kill them.
      if (this.child.pid !== undefined) killShellTree(this.child.pid); // group and session outlive the leader
      const timer = setTimeout(() => this.finish(exit), DRAIN_MS);
      this.child.once('close', () => {
        clearTimeout(timer);
        this.finish(exit);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  write(text: string): void {
    if (!this.exited && this.child.stdin.writable) this.child.stdin.write(text);
  }

  onStdout(listener: (chunk: Buffer) => void): void {
    this.child.stdout.on('data', listener);
  }

  onStderr(listener: (chunk: Buffer) => void): void {
    this.child.stderr.on('data', listener);
  }

  onExit(listener: (exit: TransportExit) => void): void {
    if (this.exited) listener(this.exited);
    else this.exitListeners.push(listener);
  }

  signalShell(signal: NodeJS.Signals): void {
    if (this.pid !== undefined && !this.dead) signalPids([this.pid], signal);
  }

  async signalCell(signal: NodeJS.Signals, sinceMs: number, untilMs?: number): Promise<number> {
    if (this.pid === undefined || this.dead) return 0;
    const pids = selectShellProcesses(listProcesses(), this.pid, { sinceMs, untilMs, spare: this.jobs });
    return signalPids(pids, signal);
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

  kill(): void {
    if (this.pid !== undefined && !this.dead) killShellTree(this.pid);
    this.child.stdin.destroy();
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
