// Runs cells of a parsed runbook headless (CLI) and writes outcomes into the document model:
// outputs replace the cell's outputs, rows are appended to the hash-chained execution log.
import type { CodeCell, RunbookDocument } from '../format/model.js';
import { appendRow, type NewLogRow } from '../log/chain.js';
import { codeCellNames, ordinalName } from '../contract/cellName.js';
import type { CellRunner, CellRunOutcome } from './cellRunner.js';
import { stoppedShort } from './stopsRunAll.js';

export interface DocumentRunOptions {
  /** Names of cells to run, in document order; all runnable cells when `all`. */
  names?: string[];
  all?: boolean;
  stopOnError?: boolean;
  /** Called before and after each cell (progress for the CLI). */
  onCell?: (event: { phase: 'start' | 'end'; name: string; outcome?: CellRunOutcome }) => void;
  onStdout?: (s: string) => void;
  onStderr?: (s: string) => void;
  signal?: AbortSignal;
}

export interface DocumentRunSummary {
  ran: number;
  failed: number;
  skipped: number;
  stoppedAt?: string;
}

/** Code cells with their names; `alias` is the `cell-N` name older versions gave, still accepted by --cell. */
export function namedCodeCells(doc: RunbookDocument): { cell: CodeCell; name: string; alias: string }[] {
  const names = codeCellNames(doc.cells);
  return doc.cells.filter((c): c is CodeCell => c.kind === 'code').map((cell, i) => ({ cell, name: names[i]!, alias: ordinalName(i) }));
}

export function appendLogRows(doc: RunbookDocument, rows: NewLogRow[]): void {
  if (!rows.length) return;
  doc.log ??= { raw: '', rows: [], parsedCount: 0 };
  for (const row of rows) appendRow(doc.log.rows, row);
}

export async function runDocument(doc: RunbookDocument, runner: CellRunner, o: DocumentRunOptions): Promise<DocumentRunSummary> {
  const cells = namedCodeCells(doc);
  const unknown = (o.names ?? []).filter((n) => !cells.some((c) => c.name === n || c.alias === n));
  if (unknown.length) throw new Error(`no cell named ${unknown.map((n) => `"${n}"`).join(', ')} (names: ${cells.map((c) => c.name).join(', ')})`);
  const selected = o.all ? cells : cells.filter((c) => o.names?.includes(c.name) || o.names?.includes(c.alias));
  const summary: DocumentRunSummary = { ran: 0, failed: 0, skipped: 0 };
  for (const { cell, name } of selected) {
    if (o.signal?.aborted) break;
    o.onCell?.({ phase: 'start', name });
    const frontMatterProblems = doc.frontMatter?.errors.map((e) => e.message);
    const outcome = await runner.run({ source: cell.source, language: cell.language, fenceLanguage: cell.fence.lang, attributes: cell.attributes, cellName: name, frontMatterProblems },
      doc.frontMatter?.data, { signal: o.signal, onStdout: o.onStdout, onStderr: o.onStderr });
    if (outcome.outputs) cell.outputs = outcome.outputs;
    appendLogRows(doc, outcome.rows);
    o.onCell?.({ phase: 'end', name, outcome });
    if (outcome.status === 'skipped') {
      summary.skipped++;
      continue;
    }
    if (outcome.status === 'ran') summary.ran++;
    if (!outcome.ok) {
      summary.failed++;
      // --continue-on-error goes on after a step that failed (and reports every refusal), but not after one that
      // was stopped before it ended (timed out, cancelled): as the notebook's Run All, whatever its stopOnError
      // says, what comes next was written for a step that ended.
      if (o.stopOnError || (outcome.status === 'ran' && stoppedShort(outcome))) {
        summary.stoppedAt = name;
        break;
      }
    }
  }
  return summary;
}
