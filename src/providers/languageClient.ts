// Starts the runbook language server (dist/server.js, built from src/lsp/server.ts) for `*.runbook.md`
// text editors and for the cells of `runbook` notebooks (the server asks for notebook sync itself).
// The client library and the server process start only when the first runbook opens: a plain markdown
// file (README.md) costs nothing.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { CellIndex, indexNotebookSync } from './lspCellIndex.js';
import { notebookMiddleware } from './lspNotebookMiddleware.js';
import { useIndexedMatch } from './lspMatch.js';
import { NOTEBOOK_TYPE } from '../notebook/runbookSerializer.js';
import { perfLog } from '../core/util/perfLog.js';
import { lspStartDelayMs } from './lspStartDelay.js';
import { Quiet } from '../core/util/quiet.js';

const RUNBOOK_FILE = /\.runbook\.md$/i;

/** At most this long after a notebook opens, its checks start even while cells run. */
const MAX_WAIT_MS = 60_000;
/** The first checks of a notebook wait until the person has not typed, saved or run anything for this long. */
const QUIET_MS = 1500;

export class RunbookLanguageClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  /** What answers from the cell index once the client started: VS Code's `languages.match` for cell documents
   * (lspMatch.ts) and parts of the client's notebook sync (lspCellIndex.ts). */
  indexed: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners: vscode.Disposable[] = [];
  private readonly quiet = new Quiet(QUIET_MS);
  /** What feeds `quiet` until the server starts. */
  private readonly activity: vscode.Disposable[] = [];

  /**
   * `busy`: whether a notebook has cells running or queued (the first checks of a big record wait for them).
   * `readAt`: when the runbook notebook open now was read (Date.now()), if one was; its wait counts from then.
   */
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly busy: (nb: vscode.NotebookDocument) => boolean,
    readAt?: number,
  ) {
    this.listeners.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.startFor(d.uri)),
      vscode.workspace.onDidOpenNotebookDocument((n) => { if (n.notebookType === NOTEBOOK_TYPE) this.startAfterOpen(n); }),
    );
    for (const d of vscode.workspace.textDocuments) this.startFor(d.uri);
    const nb = vscode.workspace.notebookDocuments.find((n) => n.notebookType === NOTEBOOK_TYPE);
    if (nb) this.startAfterOpen(nb, readAt === undefined ? 0 : Date.now() - readAt);
  }

  /** Whether the server process was started, or is about to be (for tests through the extension's API). */
  get started(): boolean {
    return this.client !== undefined || this.timer !== undefined;
  }

  /**
   * A notebook is being rendered right after it opens: its checks wait until the window is done
   * (lspStartDelay.ts); `sinceOpenMs` of that wait has passed already.
   */
  private startAfterOpen(nb: vscode.NotebookDocument, sinceOpenMs = 0): void {
    if (this.client || this.timer) return;
    if (!this.activity.length) {
      const ours = (d: vscode.NotebookDocument) => d.notebookType === NOTEBOOK_TYPE;
      this.activity.push(
        vscode.workspace.onDidChangeNotebookDocument((e) => { if (ours(e.notebook)) this.quiet.touch(); }),
        vscode.workspace.onDidChangeTextDocument((e) => { if (e.document.uri.scheme === 'vscode-notebook-cell') this.quiet.touch(); }),
        vscode.workspace.onWillSaveNotebookDocument((e) => { if (ours(e.notebook)) this.quiet.begin(); }),
        vscode.workspace.onDidSaveNotebookDocument((d) => { if (ours(d)) this.quiet.end(); }),
      );
    }
    this.startWhenIdle(lspStartDelayMs(nb.cellCount, sinceOpenMs), Date.now() + MAX_WAIT_MS);
  }

  /**
   * Sending a big record's cells to a new server takes the extension host about a second at 10 MB: not while
   * a cell runs (its output and ✓ would wait), nor while the person types or saves (a save also crosses the
   * extension host), unless that keeps the checks away for more than a minute.
   */
  private startWhenIdle(ms: number, deadline: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const running = vscode.workspace.notebookDocuments.some((d) => d.notebookType === NOTEBOOK_TYPE && this.busy(d));
      const wait = running ? 1000 : this.quiet.waitMs();
      if (wait > 0 && Date.now() < deadline) this.startWhenIdle(wait, deadline);
      else this.start();
    }, ms);
  }

  /** A runbook opened as text starts the server at once; a notebook's cells (whose URIs carry the notebook's
   * path) wait for startAfterOpen. */
  private startFor(uri: vscode.Uri): void {
    if (uri.scheme !== 'vscode-notebook-cell' && RUNBOOK_FILE.test(uri.path)) this.start();
  }

  private start(): void {
    if (this.client) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    perfLog('lsp.clientStart', 0);
    for (const d of this.activity.splice(0)) d.dispose();
    // Loaded here, not at activation: the client library is a separate file in the bundle (dist/vendor).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const lc = require('vscode-languageclient/node') as typeof import('vscode-languageclient/node');
    const module = this.context.asAbsolutePath(path.join('dist', 'server.js'));
    const serverOptions: ServerOptions = {
      run: { module, transport: lc.TransportKind.ipc },
      debug: { module, transport: lc.TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', pattern: '**/*.runbook.md' },
        { notebook: 'runbook', language: '*' },
      ],
      diagnosticCollectionName: 'runbook',
      middleware: { notebooks: notebookMiddleware },
    };
    const client = new lc.LanguageClient('runbook', 'Runbook language server', serverOptions, clientOptions);
    this.client = client;
    const index = new CellIndex(() => vscode.workspace.notebookDocuments, (nb) => nb.getCells());
    this.listeners.push(vscode.workspace.onDidCloseNotebookDocument((nb) => index.forget(nb)));
    // Before the client starts: it matches every cell document against its selectors as it does (lspMatch.ts).
    const restore = useIndexedMatch(vscode, (uri) => index.find(uri)[0]?.notebookType);
    if (restore) this.listeners.push({ dispose: restore });
    client.start().then(() => {
      this.indexed = [...(restore ? ['languages.match'] : []), ...indexNotebookSync(vscode, client.getFeature(lc.NotebookDocumentSyncRegistrationType.method), index)];
      perfLog('lsp.cellIndex', 0, this.indexed.join(' '));
    }, (e: unknown) => {
      void vscode.window.showWarningMessage(`Runbook checks are unavailable: the language server did not start (${String(e)}).`);
    });
  }

  dispose(): void {
    for (const l of [...this.listeners, ...this.activity.splice(0)]) l.dispose();
    clearTimeout(this.timer);
    if (this.client?.needsStop()) void this.client.stop();
  }
}
