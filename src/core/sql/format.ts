// Statement results and errors as cell outputs: one block per statement with a short caption line (rows,
// affected rows, time), tables as GFM markdown, plain-text results (dot-commands, EXPLAIN) as text, and
// errors with the server's message and the line and column in the cell.
import type { CellOutput } from '../format/model.js';
import { lineCol } from './split.js';
import { markdownTable, moreRowsMarker } from './table.js';
import type { PreparedStatement, SqlFailure, StatementResult } from './types.js';

export interface FormatContext {
  /** The cell source as written. */
  source: string;
  statements: PreparedStatement[];
  /** Connection name. */
  db: string;
  rowCap: number;
  maxCellChars?: number;
}

const plural = (n: number, word: string): string => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
const ms = (t: number): string => (t < 1 ? '< 1 ms' : `${t < 10 ? t.toFixed(1) : Math.round(t)} ms`);

/** The statement's first line, shortened, for captions. */
function snippet(st: PreparedStatement): string {
  const lead = st.source.code.length - st.source.code.trimStart().length;
  const flat = st.source.text.slice(lead).replace(/\s+/g, ' ').replace(/`/g, "'").trim();
  return flat.length > 60 ? `${flat.slice(0, 57)}…` : flat;
}

function caption(r: StatementResult, ctx: FormatContext, markdown: boolean): string {
  const parts: string[] = [];
  const n = ctx.statements.length;
  if (n > 1) {
    const st = ctx.statements[r.index]!;
    parts.push(markdown ? `**Statement ${r.index + 1} of ${n}**` : `Statement ${r.index + 1} of ${n}`);
    parts.push(markdown ? `\`${snippet(st)}\`` : snippet(st));
  }
  if (r.columns) parts.push(plural(r.rowCount, 'row'));
  if (r.affected !== undefined) parts.push(`${r.command ?? 'done'}: ${plural(r.affected, 'row')} affected`);
  else if (!r.columns && !r.text) parts.push(r.command ?? 'done');
  parts.push(ms(r.ms));
  return parts.join(' · ');
}

/** Outputs of one statement: its result, then its notices (if any) as text. */
export function resultOutputs(r: StatementResult, ctx: FormatContext): CellOutput[] {
  const meta: CellOutput['meta'] = { kind: 'sql', db: ctx.db, statement: r.index + 1, durationMs: r.ms };
  if (r.columns) meta.rows = r.rowCount;
  if (r.affected !== undefined) meta.affected = r.affected;
  const out: CellOutput[] = [];
  const plan = r.columns?.length === 1 && r.columns[0]!.name === 'QUERY PLAN';
  if (r.columns?.length && !plan) {
    const shown = r.rows.length;
    if (shown < r.rowCount) meta.shown = shown;
    let text = `${caption(r, ctx, true)}\n\n${markdownTable(r.columns, r.rows, { maxCellChars: ctx.maxCellChars })}`;
    if (shown < r.rowCount) text += `\n\n${moreRowsMarker(r.rowCount - shown, ctx.rowCap)}`;
    if (r.text) text += `\n\n\`\`\`text\n${r.text}\n\`\`\``;
    out.push({ meta, text, lang: 'markdown' });
  } else {
    const lines = [caption(r, ctx, false)];
    if (plan) lines.push('', ...r.rows.map((row) => row[0] ?? ''));
    if (plan && r.rows.length < r.rowCount) lines.push(moreRowsMarker(r.rowCount - r.rows.length, ctx.rowCap));
    if (r.text) lines.push('', r.text);
    out.push({ meta, text: lines.join('\n'), lang: 'text' });
  }
  if (r.notices.length) {
    out.push({ meta: { kind: 'sql-notice', db: ctx.db, statement: r.index + 1 }, text: r.notices.join('\n'), lang: 'text' });
  }
  return out;
}

export interface LocatedFailure {
  output: CellOutput;
  /** One line for the execution result's message. */
  summary: string;
}

/** Where the error is in the cell (1-based line and column), when the server said. */
export function failureLocation(f: SqlFailure, ctx: FormatContext): { line: number; col: number } | undefined {
  const st = f.statement !== undefined ? ctx.statements[f.statement] : undefined;
  if (!st || st.source.dot) return undefined;
  let offset: number | undefined;
  if (f.position !== undefined) offset = Math.min(Math.max(f.position, 0), Math.max(st.text.length - 1, 0));
  else if (f.line !== undefined) {
    const lines = st.text.split('\n');
    const lineStart = lines.slice(0, f.line - 1).reduce((n, l) => n + l.length + 1, 0);
    const here = lines[f.line - 1] ?? '';
    const near = (f.near ?? '').split('\n')[0]!;
    const col = near ? here.indexOf(near) : -1;
    offset = lineStart + Math.max(col, 0);
  }
  if (offset === undefined) return undefined;
  return lineCol(ctx.source, st.toCell(offset));
}

export function failureOutput(f: SqlFailure, ctx: FormatContext): LocatedFailure {
  const n = ctx.statements.length;
  const label = f.kind === 'cancelled' ? 'CANCELLED' : f.code ? `ERROR ${f.code}` : 'ERROR';
  const lines = [`${label}: ${f.message}`];
  const where = failureLocation(f, ctx);
  let summary = lines[0]!;
  if (where) {
    const text = ctx.source.split('\n')[where.line - 1] ?? '';
    const gutter = String(where.line).length;
    lines.push(`at line ${where.line}, column ${where.col} of the cell:`);
    lines.push(`  ${where.line} | ${text}`);
    lines.push(`  ${' '.repeat(gutter)} | ${' '.repeat(Math.max(where.col - 1, 0))}^`);
    summary = `${label} at line ${where.line}, column ${where.col}: ${f.message}`;
  }
  if (f.detail) lines.push(`DETAIL: ${f.detail}`);
  if (f.hint) lines.push(`HINT: ${f.hint}`);
  if (f.where) lines.push(`CONTEXT: ${f.where}`);
  if (f.statement !== undefined && n > 1) {
    const rest = n - f.statement - 1;
    const what = f.kind === 'cancelled' ? 'was cancelled' : 'failed';
    lines.push(`Statement ${f.statement + 1} of ${n} ${what}${rest ? `; ${rest === 1 ? `statement ${n} was` : `statements ${f.statement + 2}–${n} were`} not run` : ''}.`);
  }
  const meta: CellOutput['meta'] = { kind: 'sql-error', stream: 'stderr', db: ctx.db };
  if (f.statement !== undefined) meta.statement = f.statement + 1;
  if (f.code) meta.code = f.code;
  if (where) {
    meta.line = where.line;
    meta.col = where.col;
  }
  return { output: { meta, text: lines.join('\n'), lang: 'text' }, summary };
}
