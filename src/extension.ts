// Entry point. Opening a record waits for activate() and then for the serializer: activation registers the
// serializer alone and loads everything else (extensionParts.ts, its own bundle file) in the next turn of the
// event loop, while the window reads the file (issue 17: the record shows sooner by what loading the rest
// costs, about half of the extension host's part of a first open). The palette's commands are there at once:
// until the rest is loaded, each is a stand-in that loads it and runs the real command.
import * as vscode from 'vscode';
import { timed } from './core/util/perfLog.js';
import { NOTEBOOK_TYPE, RunbookSerializer, serializerOptions } from './notebook/runbookSerializer.js';
import type { RunbookExtensionApi } from './extensionParts.js';

export type { RunbookExtensionApi } from './extensionParts.js';

export function activate(context: vscode.ExtensionContext): RunbookExtensionApi {
  return timed('activate', () => {
    context.subscriptions.push(vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new RunbookSerializer(), serializerOptions));
    const parts = new Parts(context);
    setImmediate(() => {
      try {
        parts.load();
      } catch (e) {
        void vscode.window.showErrorMessage(`Runbook: the extension did not load (${e instanceof Error ? e.message : String(e)}). Records open, but cannot run.`);
      }
    });
    return {
      languageServerStarted: () => parts.load().languageServerStarted(),
      languageClientIndexed: () => parts.load().languageClientIndexed(),
    };
  });
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

/** The rest of the extension, loaded once, on the first of: the next turn of the event loop, a command. */
class Parts {
  private api: RunbookExtensionApi | undefined;
  private readonly standIns: vscode.Disposable[];

  constructor(private readonly context: vscode.ExtensionContext) {
    this.standIns = contributedCommands(context).map((id) => vscode.commands.registerCommand(id, (...args: unknown[]) => {
      this.load();
      return vscode.commands.executeCommand(id, ...args);
    }));
  }

  load(): RunbookExtensionApi {
    if (this.api) return this.api;
    // The real commands take the stand-ins' names.
    for (const d of this.standIns.splice(0)) d.dispose();
    // A file of its own in the bundles (scripts/build.mjs); loaded now, not at activation.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { activateParts } = require('./extensionParts.js') as typeof import('./extensionParts.js');
    this.api = activateParts(this.context);
    return this.api;
  }
}

/** The command ids of package.json's `contributes.commands` (the palette, menus and keybindings name them). */
function contributedCommands(context: vscode.ExtensionContext): string[] {
  const commands = (context.extension.packageJSON as { contributes?: { commands?: { command?: unknown }[] } }).contributes?.commands ?? [];
  return commands.map((c) => c.command).filter((id): id is string => typeof id === 'string');
}
