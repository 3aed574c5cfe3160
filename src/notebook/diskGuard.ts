// A record changed on disk while it is open is never silently overwritten (DESIGN §3, issue 11). The guard
// remembers what the file held when VS Code last read or wrote it; the extension's own saves (after a run,
// after a note) go through guardedSave(), which saves only when the file still holds that. Otherwise the run's
// outputs stay in the notebook, unsaved, and the person gets a clear choice: save this version elsewhere,
// compare the two, overwrite the file, or leave it unsaved for now (asked once per change on disk).
// VS Code's own save would also refuse (its etag check), but with a "Revert" button that throws the run's
// outputs away, and again after every cell; this asks once, offers no way to lose either version by one
// click, and names a `runbook run` that is writing the record.
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { serializeRunbook } from '../core/format/index.js';
import { readDiskState, unchanged, type DiskState } from '../core/record/diskState.js';
import { lockHolder } from '../core/record/lock.js';
import { documentOf } from './notebookDocument.js';
import { NOTEBOOK_TYPE } from './runbookSerializer.js';

const SAVE_AS = 'Save Mine As…';
const COMPARE = 'Compare';
const OVERWRITE = 'Overwrite…';
const LATER = 'Leave Unsaved';

interface Entry {
  known: DiskState | undefined;
  /** The changed state the person was already asked about (not asked again for it). */
  asked?: DiskState;
  asking?: boolean;
}

let current: DiskGuard | undefined;

export class DiskGuard implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly subscriptions: vscode.Disposable[];
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidOpenNotebookDocument((nb) => void this.remember(nb)),
      vscode.workspace.onDidSaveNotebookDocument((nb) => void this.remember(nb)),
      vscode.workspace.onDidCloseNotebookDocument((nb) => this.entries.delete(nb.uri.toString())),
      // A notebook that is not dirty holds what is on disk (VS Code reloads it when the file changes).
      vscode.workspace.onDidChangeNotebookDocument((e) => {
        if (!e.notebook.isDirty) this.rememberSoon(e.notebook);
      }),
      { dispose: () => this.timers.forEach((t) => clearTimeout(t)) },
    ];
    vscode.workspace.notebookDocuments.forEach((nb) => void this.remember(nb));
  }

  /**
   * Saves `nb` if its file still holds what VS Code last read or wrote; otherwise leaves it unsaved and asks
   * (without waiting for the answer, so the run queue goes on). Resolves whether it saved.
   */
  async save(nb: vscode.NotebookDocument): Promise<boolean> {
    if (!guarded(nb)) return nb.save();
    const key = nb.uri.toString();
    const entry = this.entries.get(key);
    const now = await readDiskState(nb.uri.fsPath);
    if (!entry || unchanged(entry.known, now)) {
      const saved = await nb.save();
      if (saved) await this.remember(nb);
      return saved;
    }
    if (!entry.asking && !(entry.asked && unchanged(entry.asked, now))) {
      entry.asking = true;
      entry.asked = now;
      void this.ask(nb, entry).finally(() => (entry.asking = false));
    }
    return false;
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    if (current === this) current = undefined;
  }

  /** Change events come in bursts: read the file once they settle. */
  private rememberSoon(nb: vscode.NotebookDocument): void {
    const key = nb.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      if (!nb.isDirty) void this.remember(nb);
    }, 200));
  }

  private async remember(nb: vscode.NotebookDocument): Promise<void> {
    if (!guarded(nb)) return;
    const key = nb.uri.toString();
    const known = await readDiskState(nb.uri.fsPath);
    this.entries.set(key, { known });
  }

  private async ask(nb: vscode.NotebookDocument, entry: Entry): Promise<void> {
    const name = path.basename(nb.uri.fsPath);
    const holder = lockHolder(nb.uri.fsPath);
    const who = holder ? ` (a "runbook run", pid ${holder.pid}, is writing it now)` : '';
    const pick = await vscode.window.showWarningMessage(
      `${name} was changed on disk by something else${who} since it was opened here. Your latest outputs and log rows ` +
        'are kept in this notebook but NOT saved, so neither version is lost. Save yours under another name, compare ' +
        'the two, overwrite the file (VS Code asks once more), or leave it unsaved for now?',
      SAVE_AS, COMPARE, OVERWRITE, LATER,
    );
    if (pick === SAVE_AS) {
      await vscode.workspace.saveAs(nb.uri);
    } else if (pick === COMPARE) {
      const mine = path.join(await fs.mkdtemp(path.join(tmpdir(), 'runbook-mine-')), name);
      await fs.writeFile(mine, serializeRunbook(documentOf(nb)));
      await vscode.commands.executeCommand('vscode.diff', nb.uri.with({ scheme: 'file' }), vscode.Uri.file(mine),
        `${name}: on disk ↔ this notebook (not saved)`);
    } else if (pick === OVERWRITE) {
      if (await nb.save()) entry.known = await readDiskState(nb.uri.fsPath);
    }
  }
}

/** Files of runbook notebooks only (untitled or virtual documents have no disk state to guard). */
function guarded(nb: vscode.NotebookDocument): boolean {
  return nb.notebookType === NOTEBOOK_TYPE && nb.uri.scheme === 'file' && !nb.isClosed;
}

/** Starts the guard (at activation); guardedSave() uses it until it is disposed. */
export function registerDiskGuard(): vscode.Disposable {
  const guard = new DiskGuard();
  current = guard;
  return guard;
}

/** The extension's own saves go through here (the guard, when registered; a plain save otherwise). */
export function guardedSave(nb: vscode.NotebookDocument): Promise<boolean> {
  return current ? current.save(nb) : Promise.resolve(nb.save());
}
