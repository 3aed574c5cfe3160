// The runbook language server (issue 7), bundled to dist/server.js. Diagnostics, completion, hover and
// quick fixes for `*.runbook.md` markdown text documents and for the cells of `runbook` notebooks (LSP
// 3.17 notebook sync). The checks themselves are the pure core's (src/core/check), shared with the CLI.
// Run with --stdio or --node-ipc (the client uses IPC).
import { statSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  CodeActionKind, createConnection, NotebookDocuments, ProposedFeatures, TextDocuments, TextDocumentSyncKind,
  type CompletionItem, type Diagnostic, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CheckOptions } from '../core/check/index.js';
import { defaultTargetEnv } from '../core/ssh/targets.js';
import { perfLog } from '../core/util/perfLog.js';
import { codeActions } from './codeActions.js';
import { complete } from './completion.js';
import { diagnosticsOf } from './diagnostics.js';
import { hover } from './hover.js';
import { onlyExecutionChanged } from './changeFilter.js';
import { checkDelay } from './checkDelay.js';
import { notebookInputs, notebookView, notebookViewOf, sameInputs, textView, type NotebookInputs, type View } from './views.js';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const notebooks = new NotebookDocuments(TextDocument);

let sshConfigPath = join(homedir(), '.ssh', 'config');
let sshCache: { mtime: number; text: string } | undefined;

/** Options for the checks: the ssh config is read again whenever it changed on disk. */
function checkOptions(uri?: string): CheckOptions {
  const base = baseDirOf(uri);
  try {
    const mtime = statSync(sshConfigPath).mtimeMs;
    if (sshCache?.mtime !== mtime) sshCache = { mtime, text: readFileSync(sshConfigPath, 'utf8') };
    return { sshConfig: sshCache.text, sshConfigPath, sshEnv: sshEnv(), ...base };
  } catch {
    return { ...base };
  }
}

/** Home, user and Include reader for resolving hosts (ProxyCommand notes, aliases from included files). */
function sshEnv(): CheckOptions['sshEnv'] {
  return defaultTargetEnv();
}

/** The runbook's directory (its `inventory:` is relative to it), for file and notebook cell URIs. */
function baseDirOf(uri: string | undefined): { baseDir?: string } {
  const m = uri ? /^(?:file|vscode-notebook-cell):\/\/[^/]*(\/[^?#]*)/.exec(uri) : null;
  return m ? { baseDir: dirname(decodeURIComponent(m[1]!)) } : {};
}

function isRunbookUri(uri: string): boolean {
  return /\.runbook\.md$/i.test(decodeURIComponent(uri.split(/[?#]/)[0]!));
}

function viewFor(uri: string): View | undefined {
  const nb = notebooks.findNotebookDocumentForCell(uri);
  if (nb) return notebookView(nb, (u) => notebooks.cellTextDocuments.get(u), checkOptions(nb.uri));
  const td = documents.get(uri);
  return td && isRunbookUri(uri) ? textView(td, checkOptions(uri)) : undefined;
}

// Diagnostics: recomputed shortly after each change (a burst of keystrokes gives one run). The wait grows with
// the time the last check of that document took, so a big record is not re-checked on every keystroke while
// VS Code needs the same two cores for the edit, the run or the save (issue 17).
const timers = new Map<string, NodeJS.Timeout>();
const lastCheckMs = new Map<string, number>();
/** Cell URIs that got diagnostics, per notebook, so removed cells are cleared. */
const published = new Map<string, Set<string>>();
/** What each notebook's last check read, and the ssh config it saw: a change to neither is not checked again. */
const checked = new Map<string, { inputs: NotebookInputs; ssh: number | undefined }>();

/** `run` returns false when it found nothing to check (its time says nothing about the next check's). */
function schedule(key: string, run: () => boolean | number | void): void {
  clearTimeout(timers.get(key));
  timers.set(key, setTimeout(() => {
    timers.delete(key);
    const t = performance.now();
    let ran: boolean | number | void = true;
    try {
      ran = run();
    } catch (e) {
      connection.console.error(`runbook: checking ${key} failed: ${(e as Error).stack ?? String(e)}`);
    }
    if (ran !== false) lastCheckMs.set(key, performance.now() - t);
  }, checkDelay(lastCheckMs.get(key))));
}

/** What each document was last sent, so only documents whose diagnostics changed are sent again. */
const lastSent = new Map<string, string>();

function send(uri: string, diagnostics: Diagnostic[]): boolean {
  const json = JSON.stringify(diagnostics);
  if ((lastSent.get(uri) ?? '[]') === json) return false;
  if (diagnostics.length) lastSent.set(uri, json);
  else lastSent.delete(uri);
  void connection.sendDiagnostics({ uri, diagnostics });
  return true;
}

// A big notebook has thousands of cells: sending each one's (mostly empty, mostly unchanged) list after
// every keystroke kept VS Code's renderer busy (issue 17).
function publish(view: View | undefined): number {
  if (!view) return 0;
  let sent = 0;
  for (const [uri, diagnostics] of diagnosticsOf(view)) if (send(uri, diagnostics)) sent++;
  return sent;
}

function validateNotebook(notebookUri: string): boolean {
  const nb = notebooks.getNotebookDocument(notebookUri);
  if (!nb) return false;
  const t = performance.now();
  const inputs = notebookInputs(nb, (u) => notebooks.cellTextDocuments.get(u));
  const options = checkOptions(notebookUri);
  const ssh = options.sshConfig === undefined ? undefined : sshCache?.mtime;
  const last = checked.get(notebookUri);
  if (last && last.ssh === ssh && sameInputs(last.inputs, inputs)) {
    perfLog('lsp.validateNotebook', performance.now() - t, `${nb.cells.length} cells, unchanged: not checked`);
    return false;
  }
  checked.set(notebookUri, { inputs, ssh });
  const view = notebookViewOf(inputs, options);
  const now = new Set(view.uris());
  for (const old of published.get(notebookUri) ?? []) {
    if (!now.has(old)) send(old, []);
  }
  published.set(notebookUri, now);
  const sent = publish(view);
  perfLog('lsp.validateNotebook', performance.now() - t, `${nb.cells.length} cells, ${sent} diagnostics messages`);
  return true;
}

documents.onDidChangeContent((e) => {
  if (isRunbookUri(e.document.uri)) schedule(e.document.uri, () => publish(viewFor(e.document.uri)));
});
documents.onDidClose((e) => {
  clearTimeout(timers.get(e.document.uri));
  lastCheckMs.delete(e.document.uri);
  lastSent.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});
notebooks.onDidOpen((nb) => schedule(nb.uri, () => validateNotebook(nb.uri)));
notebooks.onDidChange((e) => {
  if (onlyExecutionChanged(e)) {
    perfLog('lsp.validateNotebook', 0, `${e.notebookDocument.cells.length} cells, only runs changed: not read`);
    return;
  }
  schedule(e.notebookDocument.uri, () => validateNotebook(e.notebookDocument.uri));
});
notebooks.onDidClose((nb) => {
  clearTimeout(timers.get(nb.uri));
  lastCheckMs.delete(nb.uri);
  checked.delete(nb.uri);
  for (const uri of published.get(nb.uri) ?? nb.cells.map((c) => c.document)) send(uri, []);
  published.delete(nb.uri);
});

connection.onInitialize((params): InitializeResult => {
  const init = params.initializationOptions as { sshConfigPath?: unknown } | undefined;
  if (typeof init?.sshConfigPath === 'string' && init.sshConfigPath) sshConfigPath = init.sshConfigPath;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Full,
      notebookDocumentSync: { notebookSelector: [{ notebook: 'runbook' }] },
      completionProvider: { triggerCharacters: ['{', '=', '$', ' ', ':'] },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    },
    serverInfo: { name: 'runbook-language-server' },
  };
});

connection.onCompletion((params) => {
  const { textDocument: { uri }, position } = params;
  const view = viewFor(uri);
  const spot = view?.spotAt(uri, position.line, position.character);
  const result = view && spot ? complete(view.ctx, spot) : undefined;
  if (!result) return [];
  const range = { start: { line: position.line, character: position.character - result.prefixLength }, end: position };
  return result.items.map((item): CompletionItem => ({
    ...item, textEdit: { range, newText: item.insertText ?? item.label }, insertText: undefined,
  }));
});

connection.onHover((params) => {
  const { textDocument: { uri }, position } = params;
  const view = viewFor(uri);
  const spot = view?.spotAt(uri, position.line, position.character);
  const found = view && spot ? hover(view.ctx, spot) : undefined;
  if (!found || !spot) return null;
  const delta = position.character - (spot.in === 'fence' ? spot.offset : spot.character);
  return {
    contents: { kind: 'markdown', value: found.markdown },
    range: { start: { line: position.line, character: found.start + delta }, end: { line: position.line, character: found.end + delta } },
  };
});

connection.onCodeAction((params) => {
  const view = viewFor(params.textDocument.uri);
  return view ? codeActions(view, params.textDocument.uri, params.range) : [];
});

documents.listen(connection);
notebooks.listen(connection);
connection.listen();
