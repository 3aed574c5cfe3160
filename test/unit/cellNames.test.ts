// The names of a live notebook's code cells (src/kernel/cellNames.ts, issue 17): the same names as the
// format's own naming, read again only when VS Code says a cell they come from changed (a run of a 4,200-cell
// record no longer reads, nor even walks, every cell before its command starts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeCellNames, type NameSource } from '../../src/core/contract/cellName.js';
import { cellNameFor, codeCellNamesOf, forgetNamesOn, forgetNamesOnText } from '../../src/kernel/cellNames.js';
import { parseRunbook, type Attributes } from '../../src/core/format/index.js';
import { generateRunbook } from '../../bench/generateRunbook.js';

let reads = 0;
let walks = 0;

/** A cell as VS Code's extension host gives it: a stable document (text and version) and metadata object. */
class Cell {
  readonly document: { version: number; text: string; getText(): string };
  constructor(readonly kind: number, text: string, public metadata: unknown, readonly notebook: Notebook) {
    this.document = { version: 1, text, getText() { reads++; return this.text; } };
  }
  get index(): number {
    return this.notebook.cells.indexOf(this);
  }
  edit(text: string): void {
    this.document.text = text;
    this.document.version++;
  }
}
class Notebook {
  cells: Cell[] = [];
  get cellCount(): number {
    return this.cells.length;
  }
  getCells(): Cell[] {
    walks++;
    return [...this.cells];
  }
  markdown(text: string): Cell {
    const c = new Cell(1, text, {}, this);
    this.cells.push(c);
    return c;
  }
  code(name?: string): Cell {
    const c = new Cell(2, 'echo', { runbook: { attributes: name ? { name } : {} } }, this);
    this.cells.push(c);
    return c;
  }
}

describe('the names of a live notebook\'s code cells', () => {
  it('are the format\'s own names for a generated record', () => {
    const doc = parseRunbook(generateRunbook({ cells: 120, targetBytes: 200_000 }).text);
    const nb = new Notebook();
    for (const c of doc.cells) {
      if (c.kind === 'markdown') nb.markdown(c.source);
      else nb.code(typeof c.attributes.name === 'string' ? c.attributes.name : undefined);
    }
    const sources: NameSource[] = doc.cells.map((c) => (c.kind === 'markdown' ? c
      : { kind: 'code', attributes: typeof c.attributes.name === 'string' ? { name: c.attributes.name } : ({} as Attributes) }));
    assert.deepEqual(codeCellNamesOf(nb), codeCellNames(sources));
    const code = nb.cells.filter((c) => c.kind === 2);
    assert.equal(cellNameFor(code[3]!), codeCellNamesOf(nb)[3]);
  });

  it('are read once, and again only when VS Code says a heading, a name or the cells changed', () => {
    const nb = new Notebook();
    const heading = nb.markdown('## Restart the service');
    const a = nb.code();
    nb.markdown('## Check');
    const b = nb.code();
    reads = 0;
    assert.equal(cellNameFor(a), 'restart-the-service');
    assert.equal(cellNameFor(b), 'check');
    assert.equal(reads, 2, 'both markdown cells read once, for both names');

    // A heading edited: VS Code sends the cell's text change and the notebook's change apart, in either order.
    heading.edit('## Restart the database');
    forgetNamesOnText({ languageId: 'markdown', uri: { scheme: 'vscode-notebook-cell' } });
    assert.equal(cellNameFor(a), 'restart-the-database', 'an edited heading renames the cell (text change)');
    heading.edit('## Restart the cache');
    forgetNamesOn({ notebook: nb, contentChanges: [], cellChanges: [{ cell: heading, document: heading.document }] });
    assert.equal(cellNameFor(a), 'restart-the-cache', 'an edited heading renames the cell (notebook change)');

    a.metadata = { runbook: { attributes: { name: 'db-restart' } } };
    forgetNamesOn({ notebook: nb, contentChanges: [], cellChanges: [{ cell: a, metadata: a.metadata }] });
    assert.equal(cellNameFor(a), 'db-restart', 'a new name= renames the cell');

    nb.cells.splice(2, 0, nb.cells.pop()!);
    forgetNamesOn({ notebook: nb, contentChanges: [{}], cellChanges: [] });
    assert.equal(cellNameFor(b), 'restart-the-cache', 'a moved cell is named by its new heading');
    const added = nb.code();
    assert.equal(cellNameFor(added), 'check', 'an added cell is named (the cell count changed)');

    reads = 0;
    walks = 0;
    // What a run changes, and a code cell's own text, leave the names as they are.
    forgetNamesOn({ notebook: nb, contentChanges: [], cellChanges: [{ cell: a, document: a.document }] });
    forgetNamesOn({ notebook: nb, contentChanges: [], cellChanges: [{ cell: added }] });
    forgetNamesOnText({ languageId: 'shellscript', uri: { scheme: 'vscode-notebook-cell' } });
    forgetNamesOnText({ languageId: 'markdown', uri: { scheme: 'file' } });
    for (let i = 0; i < 5; i++) cellNameFor(added);
    assert.equal(cellNameFor(b), 'restart-the-cache');
    assert.equal(reads, 0, 'nothing changed: nothing read');
    assert.equal(walks, 0, 'nothing changed: the cells are not even walked');
  });

  it('a change in one notebook keeps another notebook\'s names', () => {
    const one = new Notebook();
    one.markdown('## One');
    const a = one.code();
    const two = new Notebook();
    two.markdown('## Two');
    const b = two.code();
    cellNameFor(a);
    cellNameFor(b);
    walks = 0;
    forgetNamesOn({ notebook: one, contentChanges: [{}], cellChanges: [] });
    assert.equal(cellNameFor(b), 'two');
    assert.equal(walks, 0);
    assert.equal(cellNameFor(a), 'one');
    assert.equal(walks, 1);
  });

  it('names a cell the notebook no longer holds cell-N', () => {
    const nb = new Notebook();
    const a = nb.code();
    nb.cells = [];
    assert.equal(cellNameFor(a), 'cell-0');
  });
});
