// vscode-languageclient 9's notebook sync is O(cells) per keystroke: it finds the notebook of a changed cell
// by walking every cell of every open notebook (`findNotebookDocumentAndCell`: `getCells()` builds the whole
// cell list, then each cell's URI is stringified), and each cell text change lists the notebook's matching
// cells again (`getMatchingCells`) although a text change does not use them. In a 4,200-cell record that was
// 3.5 s of the extension host's time while someone typed a few words and saved (issue 17). The client keeps
// its own protocol logic; only these two lookups are answered from an index here.
// `vscode` is passed in (types only at build time) so unit tests drive the index with plain objects.
import type * as vscode from 'vscode';

type Cell = { readonly index: number; readonly document: { readonly uri: { toString(): string } } };
type Notebook = { readonly isClosed: boolean };
type Found<N, C> = [N, C] | [undefined, undefined];

/** Cell text document URI → its notebook and cell, rebuilt for a notebook when a lookup misses. */
export class CellIndex<N extends Notebook, C extends Cell> {
  private readonly byUri = new Map<string, [N, C]>();

  constructor(private readonly notebooks: () => readonly N[], private readonly cellsOf: (nb: N) => readonly C[]) {}

  find(uri: string): Found<N, C> {
    const hit = this.byUri.get(uri);
    if (hit && !hit[0].isClosed && hit[1].index >= 0) return hit;
    this.rebuild();
    return this.byUri.get(uri) ?? [undefined, undefined];
  }

  /** A notebook's cells changed (added, removed, moved) or it closed: its entries are read again on a miss. */
  forget(nb: N): void {
    for (const [uri, [n]] of this.byUri) if (n === nb) this.byUri.delete(uri);
  }

  private rebuild(): void {
    this.byUri.clear();
    for (const nb of this.notebooks()) {
      if (nb.isClosed) continue;
      for (const cell of this.cellsOf(nb)) this.byUri.set(cell.document.uri.toString(), [nb, cell]);
    }
  }
}

/** The parts of the client's notebook sync feature and its providers that are answered from the index. */
interface SyncFeature {
  findNotebookDocumentAndCell?: (textDocument: vscode.TextDocument) => Found<vscode.NotebookDocument, vscode.NotebookCell>;
  registrations?: Map<string, SyncProvider>;
}
interface SyncProvider {
  selector?: vscode.DocumentSelector;
  didChangeNotebookCellTextDocument?: (nb: vscode.NotebookDocument, event: vscode.TextDocumentChangeEvent) => void;
  doSendChange?: (event: { notebook: vscode.NotebookDocument; cells: { textContent: vscode.TextDocumentChangeEvent[] } }, cells: vscode.NotebookCell[]) => Promise<void>;
}

/**
 * Answers the feature's cell lookup from `index`, and sends a cell's text change without listing the
 * notebook's cells (the list is only used for structure changes). Returns what it patched: the library's
 * names are checked (a version that renamed them keeps its own code, and `lspCellIndex.test.ts` fails).
 */
export function indexNotebookSync(api: Pick<typeof vscode, 'languages'>, feature: unknown, index: CellIndex<vscode.NotebookDocument, vscode.NotebookCell>): string[] {
  const f = feature as SyncFeature;
  const patched: string[] = [];
  if (typeof f.findNotebookDocumentAndCell === 'function') {
    f.findNotebookDocumentAndCell = (textDocument) => index.find(textDocument.uri.toString());
    patched.push('findNotebookDocumentAndCell');
  }
  for (const p of f.registrations?.values() ?? []) {
    const send = p.doSendChange?.bind(p);
    if (!send || typeof p.didChangeNotebookCellTextDocument !== 'function' || !p.selector) continue;
    const selector = p.selector;
    p.didChangeNotebookCellTextDocument = (nb, event) => {
      if (api.languages.match(selector, event.document) === 0) return;
      send({ notebook: nb, cells: { textContent: [event] } }, []).catch(() => undefined);
    };
    patched.push('didChangeNotebookCellTextDocument');
  }
  return patched;
}
