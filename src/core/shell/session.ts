// A persistent bash per notebook and target. Cells run one at a time in the shell itself (framing.ts), so
// state carries over; the end of a cell is seen from markers, the end of the shell from the transport.
// Cancel and timeout: stopCell.ts.

import { StringDecoder } from 'node:string_decoder';
import { PromptWatcher } from '../prompt/promptWatcher.js';
import { CELL_TTY_MODE } from '../prompt/ttyShell.js';
import { CellRun } from './cellRun.js';
import { cellScript, initScript, newMarkerPrefix, type Marker } from './framing.js';
import { IdleOutput } from './idleOutput.js';
import { localTransport } from './localTransport.js';
import { MarkerScanner } from './markerScanner.js';
import { exportLines } from './quote.js';
import type { ShellTransport, TransportExit, TransportFactory } from './transport.js';
import { formatSeconds, stopCell } from './stopCell.js';
import type { CellResult, RunOptions, ShellSessionOptions } from './types.js';

/** After one marker, how long to wait for the other stream's marker (its stream may be redirected). */
const MARKER_GRACE_MS = 250;
/** A quiet stream's held partial line (redaction) is shown after this. */
const IDLE_FLUSH_MS = 150;

interface Connection {
  transport: ShellTransport;
  prefix: string;
  seq: number;
  /** `$-` after the last cell (xtrace/verbose are re-enabled for the next one). */
  flags: string;
  /** `$!` after the last cell. */
  lastJob: number | undefined;
  scanners: Record<Stream, MarkerScanner>;
  decoders: Record<Stream, StringDecoder>;
}

type Stream = 'stdout' | 'stderr';

export class ShellSession {
  private readonly factory: TransportFactory;
  private readonly maxBytes: number;
  private conn: Connection | undefined;
  private current: CellRun | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** A cancelled cell's last kill round; the next cell starts after it. */
  private settling: Promise<void> = Promise.resolve();
  private variables: Record<string, string>;
  private pendingExports = '';
  private idle = new IdleOutput();
  private idleTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  /** A cell was stopped: a program it ran may have left the terminal without echo. */
  private resetTerminal = false;
  /** The hang-ups of ended shells (close() waits for them). */
  private ending: Promise<void> = Promise.resolve();

  constructor(private readonly options: ShellSessionOptions = {}) {
    this.factory = options.transport ?? localTransport();
    this.maxBytes = options.maxOutputBytes ?? 256 * 1024;
    this.variables = { ...options.variables };
    exportLines(this.variables); // validates names now rather than at the first run
  }

  /** Pid of the current shell (undefined before the first run and after it ended). */
  get pid(): number | undefined {
    return this.conn?.transport.pid;
  }

  get running(): boolean {
    return this.current !== undefined;
  }

  /** Runs a cell after the ones already queued. */
  run(source: string, options: RunOptions = {}): Promise<CellResult> {
    if (this.disposed) return Promise.reject(new Error('the shell session was disposed'));
    const result = this.queue.then(() => this.settling).then(() => this.start(source, options));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Exports variables into the session (now, or into the next shell it starts) and keeps them for restarts. */
  setVariables(vars: Record<string, string>): void {
    const lines = exportLines(vars); // throws on a bad name before anything changes
    Object.assign(this.variables, vars);
    if (this.conn) this.pendingExports += lines;
  }

  /**
   * Ends the shell as a terminal hang-up would (transport.kill): a running cell is stopped and ends saying
   * so, plain background jobs get SIGHUP, `nohup`/`setsid` ones stay. The next run starts a fresh shell.
   */
  restart(message = 'the shell session was restarted; a new session starts on the next run'): void {
    const conn = this.conn;
    if (!conn) return;
    this.conn = undefined;
    const run = this.current;
    const running = run && !run.finished ? { cookie: run.cookie, sinceMs: run.startedAtMs } : undefined;
    this.finishCurrent({ exitCode: null, sessionEnded: true, message });
    const ended = conn.transport.kill(running).catch(() => undefined);
    this.ending = Promise.all([this.ending, ended]).then(() => undefined);
  }

  /** Hangs up the shell (see restart); later runs are refused. */
  dispose(): void {
    this.disposed = true;
    this.restart('the shell session was closed');
  }

  /** dispose(), resolving once the hang-up is done (remote: its signals went out before the connection closes). */
  close(): Promise<void> {
    this.dispose();
    return this.ending;
  }

  private start(source: string, options: RunOptions): Promise<CellResult> {
    if (this.disposed) throw new Error('the shell session was disposed');
    const fresh = !this.conn;
    const conn = (this.conn ??= this.connect());
    const run = new CellRun(++conn.seq, fresh, this.maxBytes, this.options.redact, options);
    this.current = run;
    if (options.signal?.aborted) {
      run.cancelled = true;
      run.finish({ exitCode: null, message: 'cancelled before it started' });
    } else {
      this.idle.drainInto(run);
      const reset = this.resetTerminal ? `builtin command stty ${CELL_TTY_MODE} <"$__rb_stdin" 2>/dev/null || :\n` : '';
      this.resetTerminal = false;
      const script = cellScript({
        prefix: conn.prefix, seq: run.seq, source, previousFlags: conn.flags, prelude: reset + this.pendingExports, cookie: run.cookie,
      });
      this.pendingExports = '';
      conn.transport.write(script);
      this.watchPrompts(conn.transport, run, options);
      const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
      if (timeoutMs) run.later(timeoutMs, () => this.stop(run, 'timeout', timeoutMs));
      const onAbort = () => this.stop(run, 'cancel');
      options.signal?.addEventListener('abort', onAbort, { once: true });
      void run.done.then(() => options.signal?.removeEventListener('abort', onAbort));
    }
    return run.done.finally(() => {
      if (this.current === run) this.current = undefined;
    });
  }

  /** Prompts of a cell reach `options.onPrompt` (or get end-of-input) when the shell has a terminal. */
  private watchPrompts(transport: ShellTransport, run: CellRun, options: RunOptions): void {
    if (!transport.probeInput) return;
    const redact = this.options.redact;
    run.prompts = new PromptWatcher({
      probe: () => (run.cancelled ? Promise.resolve(undefined) : transport.probeInput!()),
      write: (text) => {
        if (!run.finished && this.current === run) (transport.writeInput ?? transport.write).call(transport, text);
      },
      ...(options.onPrompt ? { ask: options.onPrompt } : {}),
      ...(redact ? { redact: (t: string) => redact(t) } : {}),
      ...(transport.probeMaxDelayMs ? { maxDelayMs: transport.probeMaxDelayMs } : {}),
    });
    run.prompts.start();
  }

  private connect(): Connection {
    const transport = this.factory();
    const prefix = newMarkerPrefix();
    const conn: Connection = {
      transport,
      prefix,
      seq: 0,
      flags: '',
      lastJob: undefined,
      scanners: { stdout: new MarkerScanner(prefix), stderr: new MarkerScanner(prefix) },
      decoders: { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') },
    };
    transport.onStdout((b) => this.onText(conn, 'stdout', conn.decoders.stdout.write(b)));
    transport.onStderr((b) => this.onText(conn, 'stderr', conn.decoders.stderr.write(b)));
    transport.onExit((exit) => this.onExit(conn, exit));
    transport.write(initScript(this.variables, prefix));
    return conn;
  }

  private onText(conn: Connection, stream: Stream, text: string): void {
    if (conn !== this.conn || !text) return;
    const run = this.current;
    for (const item of conn.scanners[stream].push(text)) {
      if (typeof item === 'string') {
        const closed = stream === 'stdout' ? run?.stdoutClosed : run?.stderrClosed;
        if (run && !run.finished && !closed) {
          // Terminal output (prompts, echo) arrives with stderr: a typed answer's echo is dropped there.
          const text = stream === 'stderr' && run.prompts ? run.prompts.filterTerminal(item) : item;
          run.prompts?.onOutput(text);
          if (text) run[stream].push(text);
        } else this.idle.push(stream, item);
      } else if (run && !run.finished && item.seq === run.seq) {
        this.onMarker(conn, run, stream, item);
      }
    }
    if (run && !run.finished && this.options.redact) this.armIdleFlush(run);
  }

  private onMarker(conn: Connection, run: CellRun, stream: Stream, marker: Marker): void {
    if (marker.kind === 'E') {
      run.sawStderrMarker = true;
      if (stream === 'stderr') run.stderrClosed = true;
      // The cell is over; without the stdout marker soon, the shell's stdout was redirected away.
      if (!run.exit) {
        run.later(MARKER_GRACE_MS, () => {
          if (this.conn === conn) this.restart("the cell redirected the shell's own output (exec >…), so its exit status is unknown; the shell session was restarted");
        });
      }
    } else {
      run.exit = { code: marker.exitCode, flags: marker.flags };
      conn.flags = marker.flags;
      if (marker.lastJob !== conn.lastJob) {
        conn.lastJob = marker.lastJob;
        // The cell left a background job running on purpose (port-forward, tail -f): a later cell's cancel
        // must not stop it. Only then is the process list read, so ordinary cells stay fast.
        if (!run.cancelled) conn.transport.rememberJobs();
      }
      if (stream === 'stdout') run.stdoutClosed = true;
    }
    if (run.exit && run.sawStderrMarker) this.complete(run);
    else if (run.exit) run.later(MARKER_GRACE_MS, () => this.complete(run));
  }

  private complete(run: CellRun): void {
    const message = run.stopMessage && `${run.stopMessage}; its processes were stopped`;
    run.finish({ exitCode: run.exit?.code ?? null, ...(message ? { message } : {}) });
  }

  private onExit(conn: Connection, exit: TransportExit): void {
    if (conn !== this.conn) return;
    this.conn = undefined;
    const run = this.current;
    if (!run || run.finished) return;
    // Whatever the shell printed before dying belongs to the cell.
    for (const s of ['stdout', 'stderr'] as const) {
      const rest = conn.decoders[s].end() + conn.scanners[s].flush();
      if (rest) run[s].push(rest);
    }
    const how = exit.signal ? `killed by ${exit.signal}` : `exit ${exit.code}`;
    const errexit = conn.flags.includes('e') ? ', set -e was on' : '';
    const what = exit.error ?? `the shell session ended (${how}${errexit})`;
    this.finishCurrent({ exitCode: exit.code, sessionEnded: true, message: `${what}; a new session starts on the next run` });
  }

  private finishCurrent(fields: { exitCode: number | null; sessionEnded: boolean; message: string }): void {
    const run = this.current;
    if (run && !run.finished) {
      run.finish(run.stopMessage ? { ...fields, message: `${run.stopMessage}; ${fields.message}` } : fields);
    }
  }

  private stop(run: CellRun, why: 'cancel' | 'timeout', timeoutMs = 0): void {
    const conn = this.conn;
    if (run.finished || run.cancelled || !conn) return;
    run.cancelled = true;
    run.timedOut = why === 'timeout';
    run.stopMessage = run.timedOut ? `timed out after ${formatSeconds(timeoutMs)}` : 'cancelled';
    run.prompts?.stop();
    if (conn.transport.started === false) {
      // Still connecting: the cell is only queued. Dropping the shell drops it, so it never runs by surprise.
      this.restart('the shell had not started yet, so the cell did not run; a new session starts on the next run');
      return;
    }
    this.resetTerminal = true;
    this.settling = stopCell(conn.transport, run, { isCurrent: () => this.conn === conn, restart: (m) => this.restart(m) });
  }

  private armIdleFlush(run: CellRun): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (!run.finished) {
        run.stdout.flushIdle();
        run.stderr.flushIdle();
      }
    }, IDLE_FLUSH_MS);
    this.idleTimer.unref?.();
  }
}
