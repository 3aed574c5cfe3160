// The records the VS Code bench opens, and the same content as .ipynb for VS Code's built-in editor:
// - a 24 KB record (the control: what VS Code itself takes when size costs nothing);
// - 3 MB incident record: 623 cells, 120 outputs, a 300-row execution log (the record of issue 17);
// - 10 MB / 4,200-cell runbook of bench/generateRunbook.ts.
// Both get a local `echo hi` cell near the top (the run measurement) and marker words in the first and last
// cells (the open measurement waits until they are rendered).
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { generateRunbook } from '../generateRunbook.js';
import { appendRow } from '../../src/core/log/chain.js';
import { parseRunbook, renderLogRow, serializeRunbook, type CodeCell, type RunbookDocument } from '../../src/core/format/index.js';

export const FIRST_MARK = 'FirstCellMarker';
export const LAST_MARK = 'LastCellMarker';
export const ECHO_CELL = 'bench-echo';

export interface Fixture {
  name: string;
  /** Code cells of the generator (steps); the record has about twice as many cells with the prose. */
  steps: number;
  bytes: number;
  outputs?: number;
  logRows?: number;
}

export const FIXTURES: Fixture[] = [
  // The control: how soon VS Code shows a cell done in a record too small to cost anything.
  { name: 'small', steps: 8, bytes: 24 * 1024, outputs: 4, logRows: 8 },
  { name: '3mb', steps: 295, bytes: 3 * 1024 * 1024, outputs: 120, logRows: 300 },
  { name: '10mb', steps: 2000, bytes: 10 * 1024 * 1024 },
];

export interface Written {
  fixture: Fixture;
  runbook: string;
  ipynb: string;
  cells: number;
  outputs: number;
  logRows: number;
  runbookBytes: number;
  ipynbBytes: number;
}

/** Writes `<name>.runbook.md` and `<name>.ipynb` into `dir`. */
export function writeFixture(dir: string, f: Fixture): Written {
  // The generator sizes outputs for all its cells; fewer outputs need bigger ones, and the size it lands on
  // is not monotonic in the budget: try budgets around the estimate and keep the closest.
  let target = f.bytes;
  let doc = build(f, target);
  let best = { doc, miss: Infinity };
  for (let i = 0; i < 12; i++) {
    const size = Buffer.byteLength(serializeRunbook(doc));
    const miss = Math.abs(size - f.bytes);
    if (miss < best.miss) best = { doc, miss };
    if (miss < f.bytes * 0.01) break;
    target = Math.round(target * f.bytes / size);
    doc = build(f, target);
  }
  doc = best.doc;
  const text = serializeRunbook(doc);
  const runbook = path.join(dir, `${f.name}.runbook.md`);
  const ipynb = path.join(dir, `${f.name}.ipynb`);
  writeFileSync(runbook, text);
  const nb = JSON.stringify(toIpynb(doc), null, 1) + '\n';
  writeFileSync(ipynb, nb);
  const back = parseRunbook(text);
  return {
    fixture: f, runbook, ipynb, cells: back.cells.length,
    outputs: back.cells.reduce((n, c) => n + (c.kind === 'code' ? c.outputs.length : 0), 0),
    logRows: back.log?.rows.length ?? 0, runbookBytes: Buffer.byteLength(text), ipynbBytes: Buffer.byteLength(nb),
  };
}

function build(f: Fixture, targetBytes: number): RunbookDocument {
  let text = generateRunbook({ cells: f.steps, targetBytes }).text;
  text = text.replace('# Benchmark incident response\n', `# Benchmark incident response ${FIRST_MARK}\n`);
  // A local cell (the generated bash cells name remote hosts that are never contacted).
  text = text.replace('\n## Phase 1:', `\n\`\`\`bash {name=${ECHO_CELL}}\necho hi\n\`\`\`\n\n## Phase 1:`);
  text = text.replace('\n<!-- runbook:log -->', `\n${LAST_MARK}: the end of the steps.\n\n<!-- runbook:log -->`);
  const doc = parseRunbook(text);
  if (f.outputs !== undefined) {
    const withOutputs = doc.cells.filter((c): c is CodeCell => c.kind === 'code' && c.outputs.length > 0);
    const keep = new Set<CodeCell>();
    for (let i = 0; i < f.outputs && i < withOutputs.length; i++) keep.add(withOutputs[Math.floor(i * withOutputs.length / f.outputs)]!);
    for (const c of withOutputs) if (!keep.has(c)) c.outputs = [];
  }
  if (f.logRows !== undefined && doc.log) {
    const rows = doc.log.rows.slice(0, f.logRows);
    while (rows.length < f.logRows) {
      const { time, operator, target, cell, digest } = rows[rows.length % 50]!;
      appendRow(rows, { time, operator, target, cell, digest, exit: null, ms: null, event: 'note:note', detail: 'status update posted' });
    }
    doc.log = { raw: '', rows, parsedCount: 0 };
  }
  return parseRunbook(serializeRunbook(doc));
}

const lines = (s: string): string[] => s.split(/(?<=\n)/);

/** nbformat 4 with the same cells and outputs; the front matter and the log ride in notebook metadata. */
function toIpynb(doc: RunbookDocument): unknown {
  return {
    cells: doc.cells.map((c) => c.kind === 'markdown'
      ? { cell_type: 'markdown', metadata: {}, source: lines(c.source) }
      : {
        cell_type: 'code', execution_count: null, metadata: { vscode: { languageId: c.language } }, source: lines(c.source),
        outputs: c.outputs.map((o) => ({ output_type: 'stream', name: o.meta.stream === 'stderr' ? 'stderr' : 'stdout', text: lines(o.text) })),
      }),
    metadata: {
      language_info: { name: 'shellscript' },
      runbook: { frontMatter: doc.frontMatter?.raw ?? '', log: (doc.log?.rows ?? []).map((r) => renderLogRow(r)) },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}
