// Entry point. Opening a record waits for activate(), then the window reads the file and waits for the
// serializer: so activation registers the serializer and the notebook controller alone, and everything else
// (extensionParts.ts, its own bundle file) loads when it costs the open nothing (issue 17):
// - a runbook notebook is being opened (its tab is there): 1.5 s (and 0.25 s a MB) after its first notebook
//   data was sent, once the window has drawn it (loaded 20 ms after, it cost a 24 KB record's open about
//   0.1 s: A/B, 6 opens each, first cell 739 against 635 ms, VS Code's own ipynb editor 656 ms); at the
//   latest 30 s after activation;
// - another notebook (whose markdown cells activate us) or a markdown file is opening: 1 s later, so its own
//   open does not pay for ours;
// - anything else (a command, a view, a link, a runbook opened as text): at once, before activate() returns.
// Until the rest is loaded each contributed command, and the controller's execute handler, is a stand-in that
// loads it and hands over to the real one: a run asked for meanwhile runs at once.
// The record itself is read from disk while the window sends its bytes, so its notebook data is ready when
// they arrive (notebook/prefetch.ts).
import * as vscode from 'vscode';
import { timed } from './core/util/perfLog.js';
import { NOTEBOOK_TYPE, RunbookSerializer, serializerOptions } from './notebook/runbookSerializer.js';
import type { RunbookExtensionApi } from './extensionParts.js';
import type { Prefetch } from './notebook/prefetch.js';
import { createRunbookKernel } from './kernel/runbookKernel.js';

export type { RunbookExtensionApi } from './extensionParts.js';

/** After a record's notebook data was sent, while the window draws it: 1.5 s, and 0.25 s more a MB (the
 * window draws a 10 MB record's first cells about 1.5 s after its data came). RUNBOOK_TEST_REST_AFTER_OPEN_MS:
 * longer, for the e2e check that a run asked for before then runs. */
const restAfterOpenMs = (bytes: number) => Number(process.env.RUNBOOK_TEST_REST_AFTER_OPEN_MS ?? 0) || 1500 + Math.round(bytes / 4_000);
/** When the record's data never came (a file the serializer refused), or came very late. */
const AT_THE_LATEST_MS = 30_000;
/** Another notebook or a markdown file is opening. */
const AFTER_OTHER_OPEN_MS = 1000;

export function activate(context: vscode.ExtensionContext): RunbookExtensionApi {
  let deferred = false;
  return timed('activate', () => {
    // The serializer first: the window reads the file once it is there.
    const serializer = new RunbookSerializer((bytes) => parts.read(bytes));
    context.subscriptions.push(vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, serializer, serializerOptions), serializer);
    const parts = new Parts(context);
    readAhead(serializer.prefetch, context);
    if (openingRunbook()) parts.loadSoon(AT_THE_LATEST_MS);
    else if (openingOther()) parts.loadSoon(AFTER_OTHER_OPEN_MS);
    else parts.load();
    deferred = !parts.loaded;
    return {
      languageServerStarted: () => parts.load().languageServerStarted(),
      languageClientIndexed: () => parts.load().languageClientIndexed(),
    };
  }, () => (deferred ? 'the rest loads after what is opening' : 'the rest loaded'));
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

/** Whether a runbook notebook's tab is open: activation then comes from its opening. */
function openingRunbook(): boolean {
  return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputNotebook && t.input.notebookType === NOTEBOOK_TYPE));
}

/**
 * Starts reading the records whose tabs are opening (prefetch.ts): the active tab of each group now (what
 * activated us), and each runbook tab opened later whose notebook is not open yet.
 */
function readAhead(prefetch: Prefetch<unknown>, context: vscode.ExtensionContext): void {
  const start = (input: unknown) => {
    if (!(input instanceof vscode.TabInputNotebook) || input.notebookType !== NOTEBOOK_TYPE || input.uri.scheme !== 'file') return;
    const uri = input.uri.toString();
    if (vscode.workspace.notebookDocuments.some((d) => d.uri.toString() === uri)) return;
    void prefetch.start(input.uri.fsPath);
  };
  for (const group of vscode.window.tabGroups.all) start(group.activeTab?.input);
  context.subscriptions.push(vscode.window.tabGroups.onDidChangeTabs((e) => e.opened.forEach((tab) => start(tab.input))));
}

/** Whether the active tab is another notebook or a markdown file other than a runbook. */
function openingOther(): boolean {
  const input = vscode.window.tabGroups.activeTabGroup?.activeTab?.input;
  if (input instanceof vscode.TabInputNotebook) return true;
  return input instanceof vscode.TabInputText && /\.md$/i.test(input.uri.path) && !/\.runbook\.md$/i.test(input.uri.path);
}

/** The rest of the extension, loaded once. */
class Parts {
  private api: RunbookExtensionApi | undefined;
  private readonly standIns: vscode.Disposable[];
  private timer: NodeJS.Timeout | undefined;
  private due = Infinity;
  private readonly kernel: vscode.NotebookController;
  /** When a runbook notebook was last read (the language server's start counts from it). */
  private readAt: number | undefined;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.kernel = createRunbookKernel(() => this.load(), context.subscriptions);
    this.standIns = contributedCommands(context).map((id) => vscode.commands.registerCommand(id, (...args: unknown[]) => {
      this.load();
      return vscode.commands.executeCommand(id, ...args);
    }));
    context.subscriptions.push({ dispose: () => clearTimeout(this.timer) });
  }

  get loaded(): boolean {
    return this.api !== undefined;
  }

  /** A runbook notebook of `bytes` was read: the rest loads once the window has drawn it. */
  read(bytes: number): void {
    this.readAt = Date.now();
    this.loadSoon(restAfterOpenMs(bytes));
  }

  /** Loads the rest in `ms` (or sooner, if asked sooner). */
  loadSoon(ms: number): void {
    if (this.api) return;
    const at = Date.now() + ms;
    if (this.timer && this.due <= at) return;
    clearTimeout(this.timer);
    this.due = at;
    this.timer = setTimeout(() => {
      try {
        this.load();
      } catch (e) {
        void vscode.window.showErrorMessage(`Runbook: the extension did not load (${e instanceof Error ? e.message : String(e)}). Records open, but cannot run.`);
      }
    }, ms);
  }

  load(): RunbookExtensionApi {
    if (this.api) return this.api;
    clearTimeout(this.timer);
    // The real commands take the stand-ins' names.
    for (const d of this.standIns.splice(0)) d.dispose();
    // A file of its own in the bundles (scripts/build.mjs).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { activateParts } = require('./extensionParts.js') as typeof import('./extensionParts.js');
    this.api = activateParts(this.context, this.kernel, this.readAt);
    return this.api;
  }
}

/** The command ids of package.json's `contributes.commands` (the palette, menus and keybindings name them). */
function contributedCommands(context: vscode.ExtensionContext): string[] {
  const commands = (context.extension.packageJSON as { contributes?: { commands?: { command?: unknown }[] } }).contributes?.commands ?? [];
  return commands.map((c) => c.command).filter((id): id is string => typeof id === 'string');
}
