// The run journals of open incident records (src/core/log/journalFile.ts): opened with the notebook, whose
// leftover entries (VS Code was killed between a run and its save) are merged back into the notebook first.
import * as vscode from 'vscode';
import { JournalFile } from '../core/log/journalFile.js';
import { mergeJournal, type JournalEntry } from '../core/log/journal.js';
import { toNotebookData } from './notebookData.js';
import { applyDocument, documentOf } from './notebookDocument.js';
import { withExecutionLog } from './metadata.js';

export class RunJournals {
  private readonly journals = new Map<string, Promise<Opened>>();

  /** The journal of a file-backed notebook, its leftovers merged; undefined for other schemes. */
  async of(nb: vscode.NotebookDocument): Promise<JournalFile | undefined> {
    return (await this.opened(nb))?.journal;
  }

  /** Opens the journal of `nb` now: how many entries it held and how many were not in the notebook yet. */
  async recover(nb: vscode.NotebookDocument): Promise<{ found: number; merged: number }> {
    const opened = await this.opened(nb);
    return { found: opened?.found ?? 0, merged: opened?.recovered ?? 0 };
  }

  private opened(nb: vscode.NotebookDocument): Promise<Opened> | undefined {
    if (nb.uri.scheme !== 'file' || nb.isClosed) return undefined;
    const key = nb.uri.toString();
    let j = this.journals.get(key);
    if (!j) {
      j = this.openJournal(nb);
      this.journals.set(key, j);
    }
    return j;
  }

  forget(nb: vscode.NotebookDocument): void {
    this.journals.delete(nb.uri.toString());
  }

  private async openJournal(nb: vscode.NotebookDocument): Promise<Opened> {
    const journal = new JournalFile(nb.uri.fsPath);
    const entries = journal.read();
    const recovered = entries.length ? await mergeInto(nb, entries) : 0;
    journal.markMerged();
    return { journal, recovered, found: entries.length };
  }
}

interface Opened {
  journal: JournalFile;
  recovered: number;
  found: number;
}

/** Applies the entries the notebook does not hold yet with the smallest edit; returns how many. */
async function mergeInto(nb: vscode.NotebookDocument, entries: JournalEntry[]): Promise<number> {
  const doc = documentOf(nb);
  const result = mergeJournal(doc, entries);
  if (!result.applied) return 0;
  if (result.inserted) {
    await applyDocument(nb, doc);
    return result.applied;
  }
  const edits = [vscode.NotebookEdit.updateNotebookMetadata(doc.log ? withExecutionLog(nb, doc.log) : nb.metadata)];
  for (const i of result.changedCells) {
    const data = toNotebookData(vscode, { ...doc, cells: [doc.cells[i]!] }).cells[0]!;
    edits.push(vscode.NotebookEdit.replaceCells(new vscode.NotebookRange(i, i + 1), [data]));
  }
  const edit = new vscode.WorkspaceEdit();
  edit.set(nb.uri, edits);
  await vscode.workspace.applyEdit(edit);
  return result.applied;
}
