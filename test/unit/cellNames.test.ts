// The names of a live notebook's code cells (src/kernel/cellNames.ts, issue 17): the same names as the
// format's own naming, read again only when a cell they come from changed (a run of a 4,200-cell record no
// longer reads every cell before its command starts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeCellNames, type NameSource } from '../../src/core/contract/cellName.js';
import { cellNameFor, codeCellNamesOf } from '../../src/kernel/cellNames.js';
import { parseRunbook, type Attributes } from '../../src/core/format/index.js';
import { generateRunbook } from '../../bench/generateRunbook.js';

let reads = 0;

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
  getCells(): Cell[] {
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

  it('are read once, and again only when a heading, a name or the cells change', () => {
    const nb = new Notebook();
    const heading = nb.markdown('## Restart the service');
    const a = nb.code();
    nb.markdown('## Check');
    const b = nb.code();
    reads = 0;
    assert.equal(cellNameFor(a), 'restart-the-service');
    assert.equal(cellNameFor(b), 'check');
    assert.equal(reads, 2, 'both markdown cells read once, for both names');
    heading.edit('## Restart the database');
    assert.equal(cellNameFor(a), 'restart-the-database', 'an edited heading renames the cell');
    a.metadata = { runbook: { attributes: { name: 'db-restart' } } };
    assert.equal(cellNameFor(a), 'db-restart', 'a new name= (new metadata object) renames the cell');
    nb.cells.splice(2, 0, nb.cells.pop()!);
    const moved = nb.code();
    assert.equal(cellNameFor(b), 'restart-the-database', 'a moved cell is named by its new heading');
    assert.equal(cellNameFor(moved), 'check', 'an added cell is named');
    reads = 0;
    for (let i = 0; i < 5; i++) cellNameFor(moved);
    assert.equal(reads, 0, 'nothing changed: nothing read');
  });

  it('names a cell the notebook no longer holds cell-N', () => {
    const nb = new Notebook();
    const a = nb.code();
    nb.cells = [];
    assert.equal(cellNameFor(a), 'cell-0');
  });
});
