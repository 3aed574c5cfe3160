// Runs shell cells in one persistent session per target (local bash, or a remote one over SSH when a
// transport for the target is given).
import type { CellOutput } from '../format/model.js';
import { describePrompt } from '../contract/prompt.js';
import type { Redactor } from '../redact/redactor.js';
import { ShellSession } from '../shell/session.js';
import type { TransportFactory } from '../shell/transport.js';
import type { CellResult } from '../shell/types.js';
import type { ExecutionRequest, ExecutionResult, Executor, ResolvedTarget } from '../contract/types.js';
import { cellTimeoutMs } from '../contract/timeout.js';

export interface ShellExecutorOptions {
  redact: Redactor;
  /** Bytes of each stream kept in the record (head and tail). */
  maxOutputBytes?: number;
  /** Where a target's shell runs; undefined means a local bash. */
  transportFor?: (target: ResolvedTarget) => TransportFactory | undefined;
}

interface TargetSession {
  session: ShellSession;
  exported: Record<string, string>;
}

export class ShellExecutor implements Executor {
  private readonly sessions = new Map<string, TargetSession>();

  constructor(private readonly options: ShellExecutorOptions) {}

  async run(request: ExecutionRequest): Promise<ExecutionResult> {
    const entry = this.sessionFor(request.target);
    const changed: Record<string, string> = {};
    for (const [k, v] of Object.entries(request.variables)) if (entry.exported[k] !== v) changed[k] = v;
    if (Object.keys(changed).length) {
      entry.session.setVariables(changed);
      Object.assign(entry.exported, changed);
    }
    const result = await entry.session.run(request.source, {
      signal: request.signal,
      timeoutMs: request.timeoutMs ?? cellTimeoutMs(request.attributes),
      onStdout: request.onStdout,
      onStderr: request.onStderr,
      ...(request.onPrompt ? { onPrompt: request.onPrompt } : {}),
    });
    return toExecutionResult(request.source, result);
  }

  /** Ends the session of a target (or all); the next run starts a fresh shell. */
  restart(targetName?: string): void {
    for (const [name, entry] of this.sessions) {
      if (targetName === undefined || name === targetName) entry.session.restart();
    }
  }

  /** Pid of a target's current shell, if one runs. */
  shellPid(targetName: string): number | undefined {
    return this.sessions.get(targetName)?.session.pid;
  }

  dispose(): void {
    for (const entry of this.sessions.values()) entry.session.dispose();
    this.sessions.clear();
  }

  /**
   * dispose(), resolving once every session's hang-up is done (close SSH connections only after it), or
   * after `capMs` when a host does not answer.
   */
  async close(capMs = 5000): Promise<void> {
    const sessions = [...this.sessions.values()].map((e) => e.session);
    this.sessions.clear();
    let timer: NodeJS.Timeout | undefined;
    const cap = new Promise<void>((r) => (timer = setTimeout(r, capMs)));
    await Promise.race([Promise.all(sessions.map((s) => s.close())), cap]);
    clearTimeout(timer);
  }

  private sessionFor(target: ResolvedTarget): TargetSession {
    let entry = this.sessions.get(target.name);
    if (!entry) {
      const session = new ShellSession({
        transport: this.options.transportFor?.(target),
        redact: this.options.redact,
        maxOutputBytes: this.options.maxOutputBytes,
      });
      entry = { session, exported: {} };
      this.sessions.set(target.name, entry);
    }
    return entry;
  }
}

export function toExecutionResult(command: string, r: CellResult): ExecutionResult {
  const outputs: CellOutput[] = [];
  if (r.stdout || (!r.stderr && !r.message && !r.prompts?.length)) outputs.push({ meta: { stream: 'stdout' }, text: r.stdout });
  if (r.stderr) outputs.push({ meta: { stream: 'stderr' }, text: r.stderr });
  if (r.cutBytes) for (const o of outputs) o.meta.cut = r.cutBytes;
  // What the cell asked and what became of it (never the answer): a notice in the record; questions
  // nobody could answer also go into the log row's detail.
  const asked = (r.prompts ?? []).map(describePrompt);
  const unanswered = (r.prompts ?? []).filter((p) => p.outcome === 'nobody').map(describePrompt);
  const message = [r.message, ...unanswered].filter(Boolean).join('; ');
  const notices = [...asked, ...(r.message ? [r.message] : [])];
  if (notices.length) outputs.push({ meta: { stream: 'stderr', kind: 'notice' }, text: notices.map((n) => `[runbook] ${n}\n`).join('') });
  const result: ExecutionResult = {
    exitCode: r.exitCode, outputs, startedAt: r.startedAt, durationMs: r.durationMs,
    cancelled: r.cancelled, timedOut: r.timedOut, command,
  };
  if (message) result.message = message;
  return result;
}
