// Notebook changes no check can see (issue 17): a run starting or ending changes only its cell's execution
// summary, which VS Code syncs to the server with every run. The server skips such a change without reading the
// notebook: at 10 MB, reading every cell again to find that nothing changed took about 120 ms of a 2-core
// machine per change, while VS Code needed the cores to show the run.
import type { NotebookCell } from 'vscode-languageserver/node';
import { frontMatterRaw, sameRunbookMetadata } from '../notebook/metadata.js';

/** What the server's NotebookDocuments.onDidChange says changed (the parts read here). */
export interface NotebookChange {
  metadata?: { old: unknown; new: unknown };
  cells?: { added: NotebookCell[]; removed: NotebookCell[]; changed: { data: { old: NotebookCell; new: NotebookCell }[]; textContent: NotebookCell[] } };
}

/** True when `e` changes nothing the checks read: no text, no cells added or removed, same front matter and cell metadata. */
export function onlyExecutionChanged(e: NotebookChange): boolean {
  if (e.metadata && frontMatterRaw({ metadata: e.metadata.old }) !== frontMatterRaw({ metadata: e.metadata.new })) return false;
  const cells = e.cells;
  if (!cells) return e.metadata !== undefined;
  if (cells.added.length || cells.removed.length || cells.changed.textContent.length) return false;
  // A cell's data changes with its run (execution summary) or its fence attributes (metadata): only the first
  // is nothing to check. Data that changed in neither way (something this filter does not know) is checked.
  return cells.changed.data.every(({ old, new: now }) => old.kind === now.kind && old.document === now.document
    && sameRunbookMetadata(old, now) && JSON.stringify(old.executionSummary) !== JSON.stringify(now.executionSummary));
}
