// The language client's notebook sync, answered from an index (src/providers/lspCellIndex.ts, issue 17): a
// cell's notebook is found without walking every cell, a text change is sent without listing the notebook's
// cells, and the library still has the methods that are replaced (an upgrade that renames them fails here).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CellIndex, indexNotebookSync } from '../../src/providers/lspCellIndex.js';
import { repoRoot } from './helpers.js';

interface FakeCell { index: number; document: { uri: { toString(): string } } }
interface FakeNotebook { name: string; isClosed: boolean; cells: FakeCell[]; getCells(): FakeCell[] }

function notebook(name: string, n: number): FakeNotebook {
  const nb: FakeNotebook = {
    name, isClosed: false, cells: [],
    getCells() {
      reads.count++;
      return nb.cells;
    },
  };
  for (let i = 0; i < n; i++) nb.cells.push(cell(name, i));
  return nb;
}
const cell = (name: string, i: number): FakeCell => ({ index: i, document: { uri: { toString: () => `vscode-notebook-cell:/${name}.runbook.md#C${i}` } } });
const reads = { count: 0 };

describe('the cell index of the language client', () => {
  it('finds a cell\'s notebook once per notebook read, then without reading the cells again', () => {
    const a = notebook('a', 3);
    const b = notebook('b', 4000);
    const index = new CellIndex(() => [a, b], (nb) => nb.getCells());
    reads.count = 0;
    assert.deepEqual(index.find('vscode-notebook-cell:/b.runbook.md#C3999'), [b, b.cells[3999]]);
    assert.deepEqual(index.find('vscode-notebook-cell:/a.runbook.md#C1'), [a, a.cells[1]]);
    for (let i = 0; i < 100; i++) index.find(`vscode-notebook-cell:/b.runbook.md#C${i}`);
    assert.equal(reads.count, 2, 'each notebook\'s cells were listed once');
  });

  it('reads again when a cell is new, gone (index -1) or its notebook closed; misses what no notebook holds', () => {
    const a = notebook('a', 2);
    const index = new CellIndex(() => [a], (nb) => nb.getCells());
    assert.deepEqual(index.find('vscode-notebook-cell:/a.runbook.md#C0'), [a, a.cells[0]]);
    const added = cell('a', 2);
    a.cells.push(added);
    assert.deepEqual(index.find('vscode-notebook-cell:/a.runbook.md#C2'), [a, added], 'a cell added after the index was built');
    const gone = a.cells.shift()!;
    gone.index = -1;
    a.cells.forEach((c, i) => (c.index = i));
    assert.deepEqual(index.find('vscode-notebook-cell:/a.runbook.md#C0'), [undefined, undefined], 'a deleted cell is not found');
    assert.deepEqual(index.find('vscode-notebook-cell:/a.runbook.md#C1'), [a, a.cells[0]], 'a moved cell is found where it is now');
    a.isClosed = true;
    assert.deepEqual(index.find('vscode-notebook-cell:/a.runbook.md#C1'), [undefined, undefined], 'a closed notebook holds nothing');
    assert.deepEqual(index.find('vscode-notebook-cell:/z.runbook.md#C0'), [undefined, undefined]);
  });

  it('forgets a closed notebook\'s cells', () => {
    const a = notebook('a', 2);
    const b = notebook('b', 2);
    let open = [a, b];
    const index = new CellIndex(() => open, (nb) => nb.getCells());
    index.find('vscode-notebook-cell:/a.runbook.md#C0');
    open = [b];
    index.forget(a);
    reads.count = 0;
    assert.deepEqual(index.find('vscode-notebook-cell:/a.runbook.md#C0'), [undefined, undefined]);
    assert.equal(reads.count, 1, 'the miss read the open notebooks again');
  });
});

describe('patching the client\'s notebook sync', () => {
  it('the feature\'s lookup uses the index; a provider sends a text change without listing cells, only for its selector', async () => {
    const a = notebook('a', 3);
    const index = new CellIndex(() => [a], (nb) => nb.getCells());
    const sent: unknown[][] = [];
    const provider = {
      selector: [{ notebook: 'runbook', language: '*' }],
      didChangeNotebookCellTextDocument: () => assert.fail('the original walks every cell'),
      doSendChange: async (...args: unknown[]) => void sent.push(args),
    };
    const feature: { findNotebookDocumentAndCell(doc: unknown): unknown; registrations: Map<string, typeof provider> } = {
      findNotebookDocumentAndCell: () => assert.fail('the original walks every cell'), registrations: new Map([['id', provider]]),
    };
    const matches = new Set(['vscode-notebook-cell:/a.runbook.md#C1']);
    const api = { languages: { match: (_s: unknown, doc: { uri: { toString(): string } }) => (matches.has(doc.uri.toString()) ? 10 : 0) } };
    const patched = indexNotebookSync(api as never, feature, index as never);
    assert.deepEqual(patched, ['findNotebookDocumentAndCell', 'didChangeNotebookCellTextDocument']);
    const doc = a.cells[1]!.document;
    assert.deepEqual(feature.findNotebookDocumentAndCell({ uri: doc.uri } as never), [a, a.cells[1]]);
    const event = { document: doc, contentChanges: [{ text: 'x' }] };
    (provider.didChangeNotebookCellTextDocument as (nb: unknown, e: unknown) => void)(a, event);
    (provider.didChangeNotebookCellTextDocument as (nb: unknown, e: unknown) => void)(a, { document: a.cells[2]!.document, contentChanges: [] });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(sent, [[{ notebook: a, cells: { textContent: [event] } }, []]], 'one change sent, for the cell its selector matches, with no cell list');
  });

  it('leaves a feature alone whose methods it does not know', () => {
    const feature = { registrations: new Map([['id', { selector: [] }]]) };
    assert.deepEqual(indexNotebookSync({ languages: { match: () => 1 } } as never, feature, new CellIndex(() => [], () => []) as never), []);
  });

  it('vscode-languageclient still has the methods replaced, with the same signatures', () => {
    const file = join(repoRoot, 'node_modules/vscode-languageclient/lib/common/notebook.js');
    const text = readFileSync(file, 'utf8');
    for (const needle of [
      'findNotebookDocumentAndCell(textDocument) {',
      'const [notebookDocument,] = this.findNotebookDocumentAndCell(textDocument);',
      'provider.didChangeNotebookCellTextDocument(notebookDocument, event);',
      'didChangeNotebookCellTextDocument(notebookDocument, event) {',
      'vscode.languages.match(this.selector, event.document) === 0',
      'async doSendChange(event, cells = this.getMatchingCells(event.notebook)) {',
      'if (event.cells?.structure !== undefined) {',
    ]) assert.ok(text.includes(needle), `${file} no longer has: ${needle}`);
  });
});
