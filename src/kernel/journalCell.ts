// What the run journal keeps of a finished cell: enough to find it again in the record (language, source,
// index) and re-create it if it is gone, and the outputs the run wrote.
import type * as vscode from 'vscode';
import type { CellRunOutcome } from '../core/run/cellRunner.js';
import type { JournalCell } from '../core/log/journal.js';
import { cellAttributes, cellFence } from '../notebook/metadata.js';

export function journalCellOf(cell: vscode.NotebookCell, outcome: CellRunOutcome): JournalCell {
  const out: JournalCell = { index: cell.index, language: cell.document.languageId, source: cell.document.getText() };
  // A run that did not run leaves the record's outputs as they were (a notice only shows on the cell).
  if (outcome.status === 'ran' && outcome.outputs) out.outputs = outcome.outputs;
  const fence = cellFence(cell);
  if (fence) out.fence = fence;
  out.attributes = cellAttributes(cell);
  return out;
}
