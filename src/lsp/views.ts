// A runbook as the server sees it: either a markdown text document, or a notebook whose cells arrive
// through the LSP 3.17 notebook sync. Both become a RunbookDocument; a View maps between positions in the
// editor (text lines or cell lines) and the check findings' cell coordinates.
import type { NotebookDocument } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { checkContext, locateInText, type CheckContext, type CheckOptions, type Where } from '../core/check/index.js';
import { newFence, parseRunbook, readFrontMatter, type Cell, type RunbookDocument } from '../core/format/index.js';
import { LineIndex } from '../core/format/lineIndex.js';
import { cellAttributes, cellFence, frontMatterRaw } from '../notebook/metadata.js';

export interface Place {
  uri: string;
  line: number;
  start: number;
  end: number;
}

/** What is under a position, in the checks' coordinates. */
export type Spot =
  | { in: 'frontMatter'; line: number; character: number; lineText: string }
  | { in: 'fence'; cell: number; offset: number; info: string }
  | { in: 'source'; cell: number; line: number; character: number; lineText: string };

export interface View {
  kind: 'text' | 'notebook';
  doc: RunbookDocument;
  ctx: CheckContext;
  /** The editor place of a finding (undefined when it has none in this kind of view). */
  place(where: Where): Place | undefined;
  spotAt(uri: string, line: number, character: number): Spot | undefined;
  /** The text document URIs this view publishes diagnostics for. */
  uris(): string[];
}

export function textView(td: TextDocument, options: CheckOptions): View {
  const text = td.getText();
  const doc = parseRunbook(text);
  const L = new LineIndex(doc.bom ? text.slice(1) : text);
  const ctx = checkContext(doc, options);
  return {
    kind: 'text', doc, ctx,
    uris: () => [td.uri],
    place(where) {
      const at = locateInText(where, doc, L);
      return at && { uri: td.uri, ...at };
    },
    spotAt(_uri, line, character) {
      const lineText = line < L.count ? L.line(line) : '';
      if (doc.frontMatter && line <= frontMatterLines(doc)) {
        return { in: 'frontMatter', line, character, lineText };
      }
      const index = doc.cells.findIndex((c) => c.range && line >= c.range.start && line < c.range.end);
      const cell = doc.cells[index];
      if (!cell?.range) return undefined;
      if (cell.kind === 'markdown') return { in: 'source', cell: index, line: line - cell.range.start, character, lineText };
      if (line === cell.range.start) {
        const infoAt = (cell.fence.lead ?? cell.fence.indent).length + cell.fence.marker.length;
        return character >= infoAt ? { in: 'fence', cell: index, offset: character - infoAt, info: cell.fence.info } : undefined;
      }
      if (cell.fence.close !== null && line === cell.range.end - 1) return undefined;
      let stripped = 0;
      while (stripped < cell.fence.indent.length && lineText[stripped] === ' ') stripped++;
      return { in: 'source', cell: index, line: line - cell.range.start - 1, character: Math.max(0, character - stripped), lineText: lineText.slice(stripped) };
    },
  };
}

function frontMatterLines(doc: RunbookDocument): number {
  return (doc.frontMatter?.raw.match(/\n/g)?.length ?? 0) - 1;
}

/** What the checks read from a notebook: its cells' URIs, sources, languages, fences and attributes, and the
 * front matter (the server compares these to skip changes that cannot change a finding). */
export interface NotebookInputs {
  uris: string[];
  cells: Cell[];
  frontMatter: string | undefined;
}

/** Notebook cell kinds in the protocol: 1 markup, 2 code. */
export function notebookInputs(nb: NotebookDocument, cellDocument: (uri: string) => TextDocument | undefined): NotebookInputs {
  const uris: string[] = [];
  const cells: Cell[] = [];
  for (const c of nb.cells) {
    const td = cellDocument(c.document);
    if (!td) continue;
    uris.push(c.document);
    const source = td.getText().replace(/\r\n/g, '\n');
    if (c.kind === 1) {
      cells.push({ kind: 'markdown', source });
      continue;
    }
    // Notebook metadata written by the serializer (src/notebook/notebookData.ts), read through its accessors.
    cells.push({
      kind: 'code', language: td.languageId, source, outputs: [],
      fence: cellFence(c) ?? newFence(td.languageId, source),
      attributes: cellAttributes(c),
    });
  }
  const raw = frontMatterRaw(nb);
  return { uris, cells, frontMatter: typeof raw === 'string' ? raw : undefined };
}

/** Whether two readings of a notebook give the checks the same input (an execution, an output, a log row
 * or a save changes none of it). */
export function sameInputs(a: NotebookInputs, b: NotebookInputs): boolean {
  if (a.frontMatter !== b.frontMatter || a.uris.length !== b.uris.length) return false;
  for (let i = 0; i < a.uris.length; i++) {
    const x = a.cells[i]!;
    const y = b.cells[i]!;
    if (a.uris[i] !== b.uris[i] || x.kind !== y.kind || x.source !== y.source) return false;
    if (x.kind === 'code' && y.kind === 'code' && (x.language !== y.language
      || JSON.stringify(x.fence) !== JSON.stringify(y.fence) || JSON.stringify(x.attributes) !== JSON.stringify(y.attributes))) return false;
  }
  return true;
}

export function notebookView(nb: NotebookDocument, cellDocument: (uri: string) => TextDocument | undefined, options: CheckOptions): View {
  return notebookViewOf(notebookInputs(nb, cellDocument), options);
}

export function notebookViewOf(inputs: NotebookInputs, options: CheckOptions): View {
  const { uris, cells, frontMatter: raw } = inputs;
  const doc: RunbookDocument = { eol: '\n', bom: false, lead: '', cells, tail: '' };
  if (typeof raw === 'string') doc.frontMatter = readFrontMatter(raw);
  const ctx = checkContext(doc, options);
  return {
    kind: 'notebook', doc, ctx,
    uris: () => uris,
    place(where) {
      if (where.in === 'doc') return undefined;
      const uri = uris[where.cell];
      if (!uri) return undefined;
      if (where.in === 'source') return { uri, line: where.line, start: where.start, end: where.end };
      // The fence is not shown in a notebook: findings about it go on the cell's first line.
      const first = cells[where.cell]!.source.split('\n')[0] ?? '';
      return { uri, line: 0, start: 0, end: Math.max(1, first.length) };
    },
    spotAt(uri, line, character) {
      const index = uris.indexOf(uri);
      if (index === -1) return undefined;
      const lineText = cells[index]!.source.split('\n')[line] ?? '';
      return { in: 'source', cell: index, line, character, lineText };
    },
  };
}
