// Everything one open runbook needs to run cells: its executors and sessions, its CellRunner (variables
// asked once per session), the execution order and a queue so cells run one at a time. A drill record runs
// only inside its live drill (stand-ins on PATH, hosts pointed at the local drill target).
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { DrillSession } from '../core/drill/index.js';
import { isDrillRecord } from '../core/drill/index.js';
import type { FrontMatter } from '../core/format/frontMatter.js';
import { CellRunner } from '../core/run/cellRunner.js';
import { cleanEnv } from '../core/run/cleanEnv.js';
import { httpExecutor, prometheusExecutor, sqlExecutor } from '../core/run/frontMatterExecutors.js';
import { operatorName } from '../core/run/localTarget.js';
import { ShellExecutor } from '../core/run/shellExecutor.js';
import { switchableRedactor } from '../core/run/switchableRedactor.js';
import { SshRemote } from '../core/run/sshRemote.js';
import { targetResolver } from '../core/run/targets.js';
import type { Executor, ResolvedTarget } from '../core/contract/types.js';
import { localTransport } from '../core/shell/localTransport.js';
import { settings } from './settings.js';
import { vscodeSshAsk } from './sshPrompts.js';
import { vscodeRunnerUi } from './vscodeRunnerUi.js';

export interface RunStateOptions {
  drill?: DrillSession;
}

export class NotebookRunState implements vscode.Disposable {
  readonly runner: CellRunner;
  readonly shell: ShellExecutor;
  private readonly others: Executor[];
  /** SSH connections of this notebook (none in a drill: every host is the local drill target). */
  private readonly remote: SshRemote | undefined;
  order = 0;
  defaultTarget = 'local';
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly notebook: vscode.NotebookDocument, o: RunStateOptions = {}) {
    const redactor = switchableRedactor();
    const remote = o.drill ? undefined : new SshRemote({ ask: vscodeSshAsk });
    this.remote = remote;
    const cwd = o.drill?.cwd ?? vscode.workspace.getWorkspaceFolder(notebook.uri)?.uri.fsPath;
    const local = localTransport({ env: o.drill?.env ?? cleanEnv(), ...(cwd ? { cwd } : {}) });
    this.shell = new ShellExecutor({
      redact: redactor.redact,
      maxOutputBytes: settings.maxOutputBytes(),
      transportFor: (target) => (target.kind === 'local' ? local : remote?.transport(target)),
    });
    const sql = sqlExecutor(remote ? { connect: remote.connect, commandRunner: (host) => remote.commandRunner(host) } : {});
    const bodyFiles = notebook.uri.scheme === 'file' ? { baseDir: dirname(notebook.uri.fsPath), root: cwd ?? dirname(notebook.uri.fsPath) } : undefined;
    const http = httpExecutor({ ...(remote ? { connect: remote.connect } : {}), ...(bodyFiles ? { bodyFiles } : {}) });
    const record = (): string | undefined => (this.notebook.uri.scheme === 'file' ? this.notebook.uri.fsPath : undefined);
    const prometheus = prometheusExecutor({ ...(remote ? { connect: remote.connect } : {}), recordPath: record });
    this.others = [sql, http, prometheus];
    const normal = targetResolver(remote?.resolve);
    const resolveTarget = o.drill
      ? o.drill.resolveTarget
      : (name: string, fm: FrontMatter | undefined): ResolvedTarget => {
        if (isDrillRecord(fm)) {
          throw new Error('this is a drill record and its drill is not running: start a new one from the runbook with "Runbook: Start Tabletop Drill"');
        }
        return normal(name, fm);
      };
    this.runner = new CellRunner({
      executors: { shell: this.shell, sql, http, prometheus },
      resolveTarget,
      defaultTarget: () => this.defaultTarget,
      operator: settings.operator() ?? operatorName(),
      redactor,
      ui: vscodeRunnerUi(notebook.uri.path.split('/').pop() ?? 'runbook', notebook),
      defaultTimeoutMs: settings.defaultTimeoutMs,
      variables: o.drill?.variables ?? {},
      fleet: { baseDir: vscode.Uri.joinPath(notebook.uri, '..').fsPath, sshAliases: () => remote?.aliases() ?? [] },
    });
  }

  /** Runs `task` after everything queued before it. */
  enqueue<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  restart(): void {
    this.shell.restart();
  }

  dispose(): void {
    this.others.forEach((e) => e.dispose());
    // The remote hang-up (session end: plain jobs end, nohup/setsid stay) needs the connection: close after it.
    const remote = this.remote;
    void this.shell.close().finally(() => remote?.dispose());
  }
}
