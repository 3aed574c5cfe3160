// The edit checks of issue 19.0 for one runbook: for each code cell, edit its source, (separately) attach an
// output to it, and insert a new cell after it; append a cell to the file. After each, every other cell must read back the same, only the
// edited region's bytes may change, and GitHub's view (markdown-it with HTML, as GitHub renders) must keep every
// cell in the list item or block it was in. Returns the problems found (empty when the runbook passes).
import MarkdownIt from 'markdown-it';
import { newFence, parseRunbook, serializeRunbook, type Cell, type CellOutput, type CodeCell } from '../../src/core/format/index.js';

const github = new MarkdownIt({ html: true });

/** What a reader of the document sees of a cell. */
function shape(c: Cell): string {
  return JSON.stringify(c.kind === 'markdown' ? ['markdown', c.source] : ['code', c.language, c.source, c.outputs.map((o) => [o.meta, o.text])]);
}

function lineOffsets(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Offset of the end of line `line` (before its line ending). */
function lineEnd(text: string, starts: number[], line: number): number {
  const next = starts[line + 1];
  if (next === undefined) return text.length;
  return text.charCodeAt(next - 2) === 13 ? next - 2 : next - 1;
}

/** For each fence markdown-it finds: its first line → the list items and block quotes around it (their first lines). */
function containers(text: string): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const open: string[] = [];
  for (const t of github.parse(text.replace(/^\uFEFF/, ''), {})) {
    if (t.type === 'list_item_open' || t.type === 'blockquote_open') open.push(`${t.type}@${t.map![0]}`);
    else if (t.type === 'list_item_close' || t.type === 'blockquote_close') open.pop();
    else if (t.type === 'fence') out.set(t.map![0], [...open]);
  }
  return out;
}

export const sampleOutput = (i: number, long: boolean): CellOutput => ({
  meta: { cell: `cell-${i}`, target: 'local', host: 'alice@vm', user: 'alice', started: '2026-11-23T05:13:04Z', ms: 412, exit: i % 3 === 2 ? 1 : 0 },
  text: long ? Array.from({ length: 40 }, (_, k) => `line ${k + 1} of a long output`).join('\n') + '\n' : 'one line of output\n`backticks` and ``` inside\n',
});

/** `every`: check every n-th code cell only (large files in quick runs); the append check always runs. */
export function checkRunbook(text: string, name = 'runbook', every = 1): string[] {
  const problems: string[] = [];
  const fail = (what: string): void => {
    problems.push(`${name}: ${what}`);
  };
  if (serializeRunbook(parseRunbook(text)) !== text) {
    fail('does not round-trip byte for byte');
    return problems;
  }
  const original = parseRunbook(text);
  const shapes = original.cells.map(shape);
  const bom = original.bom ? 1 : 0;
  const body = text.slice(bom);
  const starts = lineOffsets(body);
  const before = containers(text);

  /** The other cells read back as they were; `changed` may differ. */
  const othersSame = (out: string, changed: number, what: string, extra = 0): Cell[] | undefined => {
    const back = parseRunbook(out).cells;
    if (back.length !== shapes.length + extra) {
      fail(`${what}: ${back.length} cells read back instead of ${shapes.length + extra}`);
      return undefined;
    }
    for (let k = 0; k < shapes.length; k++) {
      if (k === changed) continue;
      const c = original.cells[k]!;
      const want = extra && k === shapes.length - 1 && c.kind === 'markdown' && c.openHtml !== undefined
        ? shape({ ...c, source: `${c.source}\n${c.openHtml}` }) : shapes[k];
      if (shape(back[k]!) !== want) fail(`${what}: cell ${k} reads back as ${shape(back[k]!)} instead of ${want}`);
    }
    return back;
  };

  /** Only [from, to) of the text was replaced. */
  const onlyRegion = (out: string, from: number, to: number, what: string): void => {
    if (!out.startsWith(text.slice(0, from)) || !out.endsWith(text.slice(to)) || out.length < from + text.length - to) {
      fail(`${what}: bytes outside ${from}..${to} changed`);
    }
  };

  let codeIndex = 0;
  original.cells.forEach((cell, i) => {
    if (cell.kind !== 'code' || codeIndex++ % every !== 0) return;
    const start = bom + starts[cell.range!.start]!;
    const cellEnd = bom + lineEnd(body, starts, cell.range!.end - 1);

    // Edit the source.
    const edited = parseRunbook(text);
    const source = `echo "edited ${i}"\n\necho two`;
    edited.cells[i]!.source = source;
    const afterEdit = serializeRunbook(edited);
    onlyRegion(afterEdit, start, cellEnd, `editing cell ${i}`);
    const back = othersSame(afterEdit, i, `editing cell ${i}`);
    if (back && (back[i]?.kind !== 'code' || back[i]!.source !== source)) fail(`editing cell ${i}: the new source does not read back`);

    // Attach an output (new outputs go after the ones already there).
    const ran = parseRunbook(text);
    const output = sampleOutput(i, i % 2 === 1);
    (ran.cells[i] as CodeCell).outputs.push(output);
    const afterRun = serializeRunbook(ran);
    const at = cellEnd + cell.outputs.reduce((n, o) => n + (o.raw?.length ?? 0), 0);
    onlyRegion(afterRun, at, at, `attaching an output to cell ${i}`);
    const again = othersSame(afterRun, i, `attaching an output to cell ${i}`);
    const got = again?.[i];
    if (again && (got?.kind !== 'code' || got.source !== cell.source || shape(got) !== shape({ ...cell, outputs: [...cell.outputs, output] }))) {
      fail(`attaching an output to cell ${i}: the cell reads back as ${got ? shape(got) : 'nothing'}`);
    }
    // GitHub's view: every fence stays in the list items and block quotes it was in.
    if (again) {
      const insertedAtLine = text.slice(0, at).split('\n').length - 1;
      const delta = afterRun.split('\n').length - text.split('\n').length;
      const map = (line: number): number => (line > insertedAtLine ? line + delta : line);
      const after = containers(afterRun);
      original.cells.forEach((c, k) => {
        if (c.kind !== 'code') return;
        const was = before.get(c.range!.start);
        if (!was) return; // not a fence on GitHub in the original either
        const now = after.get(again[k]!.range!.start);
        const expect = was.map((w) => w.replace(/@(\d+)$/, (_, n: string) => `@${map(Number(n))}`));
        if (JSON.stringify(now) !== JSON.stringify(expect)) {
          fail(`attaching an output to cell ${i}: on GitHub cell ${k} moved from ${JSON.stringify(expect)} to ${JSON.stringify(now)}`);
        }
      });
    }
  });

  // Insert a new cell after each code cell (VS Code's "add cell below"): it reads back, the others unchanged.
  codeIndex = 0;
  original.cells.forEach((cell, i) => {
    if (cell.kind !== 'code' || codeIndex++ % every !== 0) return;
    const doc = parseRunbook(text);
    const src = `echo "inserted after ${i}"`;
    doc.cells.splice(i + 1, 0, { kind: 'code', language: 'shellscript', source: src, fence: newFence('shellscript', src), attributes: {}, outputs: [] });
    const out = serializeRunbook(doc);
    const back = parseRunbook(out).cells;
    if (back.length !== shapes.length + 1) {
      fail(`inserting a cell after cell ${i}: ${back.length} cells read back instead of ${shapes.length + 1}`);
      return;
    }
    if (back[i + 1]?.kind !== 'code' || back[i + 1]!.source !== src) fail(`inserting a cell after cell ${i}: the new cell does not read back`);
    const others = [...back.slice(0, i + 1), ...back.slice(i + 2)];
    others.forEach((c, k) => {
      if (shape(c) !== shapes[k]) fail(`inserting a cell after cell ${i}: cell ${k} reads back as ${shape(c)} instead of ${shapes[k]}`);
    });
  });

  // Append a cell at the end.
  const appended = parseRunbook(text);
  const src = 'echo "appended"';
  appended.cells.push({ kind: 'code', language: 'shellscript', source: src, fence: newFence('shellscript', src), attributes: {}, outputs: [] });
  const afterAppend = serializeRunbook(appended);
  const back = othersSame(afterAppend, -1, 'appending a cell', 1);
  const last = back?.[shapes.length];
  if (back && (last?.kind !== 'code' || last.source !== src)) fail('appending a cell: the new cell does not read back');
  return problems;
}
