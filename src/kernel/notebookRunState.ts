// Everything one open runbook needs to run cells: its executors and sessions, its CellRunner (variables
// asked once per session), the execution order and a queue so cells run one at a time. The session itself
// is built by the core's factory (core/run/session.ts), as for `runbook run` and `runbook drill run`.
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { DrillSession } from '../core/drill/index.js';
import type { CellRunner } from '../core/run/cellRunner.js';
import { cleanEnv } from '../core/run/cleanEnv.js';
import { createRunSession, type RunSession } from '../core/run/session.js';
import type { ShellExecutor } from '../core/run/shellExecutor.js';
import { settings } from './settings.js';
import { vscodeSshAsk } from './sshPrompts.js';
import { vscodeRunnerUi } from './vscodeRunnerUi.js';

export interface RunStateOptions {
  drill?: DrillSession;
}

export class NotebookRunState implements vscode.Disposable {
  readonly runner: CellRunner;
  readonly shell: ShellExecutor;
  private readonly session: RunSession;
  order = 0;
  defaultTarget = 'local';
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly notebook: vscode.NotebookDocument, o: RunStateOptions = {}) {
    const cwd = o.drill?.cwd ?? vscode.workspace.getWorkspaceFolder(notebook.uri)?.uri.fsPath;
    const file = notebook.uri.scheme === 'file';
    this.session = createRunSession({
      ...(o.drill ? { resolveTarget: o.drill.resolveTarget } : { ssh: { ask: vscodeSshAsk } }),
      local: { env: o.drill?.env ?? cleanEnv(), ...(cwd ? { cwd } : {}) },
      maxOutputBytes: settings.maxOutputBytes(),
      ...(file ? { bodyFiles: { baseDir: dirname(notebook.uri.fsPath), root: cwd ?? dirname(notebook.uri.fsPath) } } : {}),
      recordPath: () => (this.notebook.uri.scheme === 'file' ? this.notebook.uri.fsPath : undefined),
      baseDir: vscode.Uri.joinPath(notebook.uri, '..').fsPath,
      defaultTarget: () => this.defaultTarget,
      operator: settings.operator(),
      ui: vscodeRunnerUi(notebook.uri.path.split('/').pop() ?? 'runbook', notebook),
      defaultTimeoutMs: settings.defaultTimeoutMs,
      variables: o.drill?.variables ?? {},
    });
    this.runner = this.session.runner;
    this.shell = this.session.shell;
  }

  /** Runs `task` after everything queued before it. */
  enqueue<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  restart(): void {
    this.session.restart();
  }

  dispose(): void {
    void this.session.dispose();
  }
}
