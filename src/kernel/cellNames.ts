// The name a live notebook's code cell goes by in its outputs and log rows (core/contract/cellName.ts: its
// `name=`, else the heading it sits under, else `cell-N`). Naming reads every cell (the headings of markdown
// cells, the names of code cells): in a 4,200-cell record that took about 80 ms before each run (issue 17).
// The names are kept per notebook until VS Code says a cell they come from changed (`forgetNamesOn`,
// `forgetNamesOnText`): checking every cell before each run instead still took 7–12 ms there, and VS Code's
// minimum spinner time counts from a run's start. A changed cell count forgets them too.
// Cells are read through their shape, not `vscode`, so unit tests drive the cache with plain objects.
import { codeCellNames, type NameSource } from '../core/contract/cellName.js';
import { cellAttributes } from '../notebook/metadata.js';

/** vscode.NotebookCellKind.Code */
const CODE = 2;

interface LiveCell {
  readonly kind: number;
  readonly metadata: unknown;
  readonly document: { getText(): string };
}
interface LiveNotebook {
  readonly cellCount: number;
  getCells(): readonly LiveCell[];
}

/** What of a `vscode.NotebookDocumentChangeEvent` tells whether names may have changed. */
export interface NotebookChange {
  readonly notebook: LiveNotebook;
  readonly contentChanges: readonly unknown[];
  readonly cellChanges: readonly { readonly cell: { readonly kind: number }; readonly metadata?: unknown; readonly document?: unknown }[];
}

interface Named {
  /** How many cells the names were read from. */
  count: number;
  names: string[];
  /** Each code cell's name, by the cell VS Code gives (the same object for the cell's life). */
  byCell: WeakMap<object, string>;
}

let named = new WeakMap<LiveNotebook, Named>();

function namedOf(nb: LiveNotebook): Named {
  const hit = named.get(nb);
  if (hit && hit.count === nb.cellCount) return hit;
  const cells = nb.getCells();
  const sources: NameSource[] = cells.map((c) => (c.kind === CODE
    ? { kind: 'code', attributes: cellAttributes(c) } : { kind: 'markdown', source: c.document.getText() }));
  const names = codeCellNames(sources);
  const byCell = new WeakMap<object, string>();
  let code = 0;
  for (const c of cells) if (c.kind === CODE) byCell.set(c, names[code++]!);
  const fresh = { count: cells.length, names, byCell };
  named.set(nb, fresh);
  return fresh;
}

/** The names of the notebook's code cells, in order. */
export function codeCellNamesOf(nb: LiveNotebook): string[] {
  return namedOf(nb).names;
}

/**
 * A notebook changed (onDidChangeNotebookDocument): cells added, removed or moved, a code cell's metadata
 * (its `name=`) or a markdown cell's text rename cells; outputs and run states do not.
 */
export function forgetNamesOn(e: NotebookChange): void {
  if (e.contentChanges.length || e.cellChanges.some((c) => c.metadata !== undefined || (c.document !== undefined && c.cell.kind !== CODE))) {
    named.delete(e.notebook);
  }
}

/**
 * A text document changed (onDidChangeTextDocument): a markdown cell's text forgets every notebook's names.
 * VS Code sends a cell's text and its notebook's change apart, in either order, so both forget.
 */
export function forgetNamesOnText(doc: { readonly languageId: string; readonly uri: { readonly scheme: string } }): void {
  if (doc.uri.scheme === 'vscode-notebook-cell' && doc.languageId === 'markdown') named = new WeakMap();
}

/** A code cell's name (`cell-N` for a cell the notebook no longer holds). */
export function cellNameFor(cell: LiveCell & { readonly index: number; readonly notebook: LiveNotebook }): string {
  return namedOf(cell.notebook).byCell.get(cell) ?? `cell-${cell.index + 1}`;
}
