// Everything one open runbook needs to run cells: its executors and sessions, its CellRunner (variables
// asked once per session), the execution order and a queue so cells run one at a time.
import * as vscode from 'vscode';
import { CellRunner } from '../core/run/cellRunner.js';
import { httpExecutor, sqlExecutor } from '../core/run/frontMatterExecutors.js';
import type { Executor } from '../core/run/types.js';
import { cleanEnv } from '../core/run/cleanEnv.js';
import { localTransport } from '../core/shell/localTransport.js';
import { operatorName } from '../core/run/localTarget.js';
import { ShellExecutor } from '../core/run/shellExecutor.js';
import { switchableRedactor } from '../core/run/switchableRedactor.js';
import { targetResolver } from '../core/run/targets.js';
import { settings } from './settings.js';
import { vscodeRunnerUi } from './vscodeRunnerUi.js';

export class NotebookRunState implements vscode.Disposable {
  readonly runner: CellRunner;
  readonly shell: ShellExecutor;
  private readonly others: Executor[];
  order = 0;
  defaultTarget = 'local';
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly notebook: vscode.NotebookDocument) {
    const redactor = switchableRedactor();
    const cwd = vscode.workspace.getWorkspaceFolder(notebook.uri)?.uri.fsPath;
    const local = localTransport({ env: cleanEnv(), ...(cwd ? { cwd } : {}) });
    this.shell = new ShellExecutor({
      redact: redactor.redact,
      maxOutputBytes: settings.maxOutputBytes(),
      transportFor: (target) => (target.kind === 'local' ? local : undefined),
    });
    const sql = sqlExecutor();
    const http = httpExecutor();
    this.others = [sql, http];
    this.runner = new CellRunner({
      executors: { shell: this.shell, sql, http },
      resolveTarget: targetResolver(),
      defaultTarget: () => this.defaultTarget,
      operator: settings.operator() ?? operatorName(),
      redactor,
      ui: vscodeRunnerUi(notebook.uri.path.split('/').pop() ?? 'runbook'),
      defaultTimeoutMs: settings.defaultTimeoutMs,
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
    this.shell.dispose();
    this.others.forEach((e) => e.dispose());
  }
}
