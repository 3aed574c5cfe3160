// The name a live notebook's code cell goes by in its outputs and log rows (core/contract/cellName.ts: its
// `name=`, else the heading it sits under, else `cell-N`). Naming reads every cell (the headings of markdown
// cells, the names of code cells): in a 4,200-cell record that took about 80 ms before each run (issue 17). The
// names are kept per notebook until a cell they come from changes: a markdown cell's text (its document's
// version) or a code cell's metadata (VS Code gives a cell a new metadata object when it changes).
// Cells are read through their shape, not `vscode`, so unit tests drive the cache with plain objects.
import { codeCellNames, type NameSource } from '../core/contract/cellName.js';
import { cellAttributes } from '../notebook/metadata.js';

/** vscode.NotebookCellKind.Code */
const CODE = 2;

interface LiveCell {
  readonly kind: number;
  readonly metadata: unknown;
  readonly document: { readonly version: number; getText(): string };
}
interface LiveNotebook {
  getCells(): readonly LiveCell[];
}

interface Named {
  /** Per cell: the code cell's metadata, or the markdown cell's document, and that document's version. */
  keys: unknown[];
  versions: number[];
  names: string[];
}

const named = new WeakMap<LiveNotebook, Named>();

/** The names of the notebook's code cells, in order. */
export function codeCellNamesOf(nb: LiveNotebook): string[] {
  return namesOf(nb, nb.getCells());
}

function namesOf(nb: LiveNotebook, cells: readonly LiveCell[]): string[] {
  const keys = cells.map((c) => (c.kind === CODE ? c.metadata : c.document));
  const versions = cells.map((c) => (c.kind === CODE ? -1 : c.document.version));
  const hit = named.get(nb);
  if (hit && sameItems(hit.keys, keys) && sameItems(hit.versions, versions)) return hit.names;
  const sources: NameSource[] = cells.map((c) => (c.kind === CODE
    ? { kind: 'code', attributes: cellAttributes(c) } : { kind: 'markdown', source: c.document.getText() }));
  const names = codeCellNames(sources);
  named.set(nb, { keys, versions, names });
  return names;
}

/** A code cell's name (`cell-N` for a cell the notebook no longer holds). */
export function cellNameFor(cell: LiveCell & { readonly index: number; readonly notebook: LiveNotebook }): string {
  const cells = cell.notebook.getCells();
  let code = -1;
  for (let i = 0; i <= cell.index && i < cells.length; i++) if (cells[i]!.kind === CODE) code++;
  return namesOf(cell.notebook, cells)[code] ?? `cell-${cell.index + 1}`;
}

function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
