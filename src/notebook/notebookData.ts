// RunbookDocument ↔ vscode.NotebookData. Everything needed to write the original bytes back rides in
// metadata (`runbook` key) so that saving without edits never changes the file.
import type * as vscode from 'vscode';
import type { Cell, CellOutput, CodeCell, RunbookDocument } from '../core/format/index.js';
import { newFence } from '../core/format/index.js';
import { executionLog, frontMatterOf, logMetaOf, transientMeta, type LogMeta } from './metadata.js';

type VS = typeof vscode;

export const STDOUT = 'application/vnd.code.notebook.stdout';
export const STDERR = 'application/vnd.code.notebook.stderr';

export interface NotebookMeta {
  eol: RunbookDocument['eol'];
  bom: boolean;
  /**
   * The front matter as written. Its problems are not kept here: reading them needs the YAML library and the
   * schema, which opening a record must not wait for (issue 17); `frontMatterMeta` reads them when asked.
   */
  frontMatter?: { raw: string };
  lead: string;
  log?: LogMeta;
  tail: string;
}

export interface CodeCellMeta {
  fence: CodeCell['fence'];
  attributes: CodeCell['attributes'];
  gap?: string;
  raw?: string;
}

export interface MarkdownCellMeta {
  gap?: string;
  raw?: string;
  openHtml?: string;
}

export interface OutputMeta {
  meta: CellOutput['meta'];
  lang?: string;
  raw?: string;
  image?: CellOutput['image'];
  /**
   * The output block as read is `head + text + tail` (the text without its last line ending): only the two
   * ends are kept, not a second copy of the text (most of a big record's bytes are outputs; every copy is
   * sent between the extension host and the window at open and at each save and backup).
   */
  head?: string;
  tail?: string;
}

export const SVG = 'image/svg+xml';

/**
 * An output shown in the notebook but never written to the record (src/kernel/cellNotice.ts): a "not run"
 * notice, or a scratch run's output. `replaced` holds the record's outputs it hides, written back on save.
 */
export interface TransientOutputMeta {
  transient: true;
  notice?: { kind: 'not-run' | 'failed' | 'scratch'; text: string; reason: string; exit?: number | null; ms?: number; target?: string };
  replaced?: CellOutput[];
}

/** The transient metadata of an output, if it is a notice or a scratch output (see metadata.ts). */
export const transientOf = transientMeta;

export function toNotebookData(api: VS, doc: RunbookDocument): vscode.NotebookData {
  const cells = doc.cells.map((cell) => toCellData(api, cell));
  const data = new api.NotebookData(cells);
  const meta: NotebookMeta = { eol: doc.eol, bom: doc.bom, lead: doc.lead, tail: doc.tail };
  if (doc.frontMatter) meta.frontMatter = { raw: doc.frontMatter.raw };
  if (doc.log) meta.log = logMetaOf(doc.log);
  data.metadata = { runbook: meta };
  return data;
}

function toCellData(api: VS, cell: Cell): vscode.NotebookCellData {
  if (cell.kind === 'markdown') {
    const data = new api.NotebookCellData(api.NotebookCellKind.Markup, cell.source, 'markdown');
    const meta: MarkdownCellMeta = { gap: cell.gap };
    if (cell.raw !== undefined) meta.raw = cell.raw;
    if (cell.openHtml !== undefined) meta.openHtml = cell.openHtml;
    data.metadata = { runbook: meta };
    return data;
  }
  const data = new api.NotebookCellData(api.NotebookCellKind.Code, cell.source, cell.language);
  const meta: CodeCellMeta = { fence: cell.fence, attributes: cell.attributes, gap: cell.gap };
  if (cell.raw !== undefined) meta.raw = cell.raw;
  data.metadata = { runbook: meta };
  data.outputs = cell.outputs.flatMap((o) => toCellOutputs(api, o));
  const summary = executionSummaryOf(cell.outputs);
  if (summary) data.executionSummary = summary;
  return data;
}

/** The ✓/✗ and duration VS Code shows for a cell, from its recorded output metadata. */
function executionSummaryOf(outputs: CellOutput[]): vscode.NotebookCellExecutionSummary | undefined {
  const meta = outputs[0]?.meta;
  const start = typeof meta?.started === 'string' ? Date.parse(meta.started) : NaN;
  if (!meta || Number.isNaN(start)) return undefined;
  const summary: vscode.NotebookCellExecutionSummary = { success: meta.exit === 0 };
  if (typeof meta.ms === 'number') return { ...summary, timing: { startTime: start, endTime: start + meta.ms } };
  return summary;
}

export function toCellOutput(api: VS, output: CellOutput): vscode.NotebookCellOutput {
  const item = output.lang === 'markdown'
    ? api.NotebookCellOutputItem.text(output.text, 'text/markdown')
    : output.meta.stream === 'stderr'
      ? api.NotebookCellOutputItem.stderr(output.text)
      : api.NotebookCellOutputItem.stdout(output.text);
  const meta: OutputMeta = { meta: output.meta };
  if (output.lang !== undefined) meta.lang = output.lang;
  if (output.raw !== undefined) Object.assign(meta, rawParts(output.raw, output.text));
  if (output.image !== undefined) meta.image = output.image;
  return new api.NotebookCellOutput([item], { runbook: meta });
}

/**
 * An output as the notebook shows it: its text, and a chart's picture as an output of its own (VS Code shows
 * one item per output: an SVG item beside the table would hide the table). The picture is transient: the
 * record links the chart's file instead (the image line), so it is never written back.
 */
export function toCellOutputs(api: VS, output: CellOutput): vscode.NotebookCellOutput[] {
  const main = toCellOutput(api, output);
  if (!output.svg) return [main];
  const picture: TransientOutputMeta = { transient: true };
  return [main, new api.NotebookCellOutput([new api.NotebookCellOutputItem(new TextEncoder().encode(output.svg), SVG)], { runbook: picture })];
}

// Below this the text is kept whole: the ends would save next to nothing.
const SPLIT_MIN = 64;

const bodyOf = (text: string): string => (text.endsWith('\n') ? text.slice(0, -1) : text);

/** `{ head, tail }` when the output's text sits verbatim in its raw block (LF, not indented), else `{ raw }`. */
export function rawParts(raw: string, text: string): Pick<OutputMeta, 'raw' | 'head' | 'tail'> {
  const body = bodyOf(text);
  const at = body.length >= SPLIT_MIN ? raw.indexOf(body) : -1;
  return at < 0 ? { raw } : { head: raw.slice(0, at), tail: raw.slice(at + body.length) };
}

/** The raw block back from its ends and the output's text (byte-exact: `head + text + tail`). */
export function rawOf(meta: Partial<OutputMeta>, text: string): string | undefined {
  if (meta.raw !== undefined) return meta.raw;
  return meta.head !== undefined && meta.tail !== undefined ? meta.head + bodyOf(text) + meta.tail : undefined;
}

const decoder = new TextDecoder();

export function fromNotebookData(data: vscode.NotebookData): RunbookDocument {
  const meta = (data.metadata?.runbook ?? {}) as Partial<NotebookMeta>;
  const doc: RunbookDocument = {
    eol: meta.eol ?? '\n', bom: meta.bom ?? false, lead: meta.lead ?? '', tail: meta.tail ?? '',
    cells: data.cells.map(fromCellData),
  };
  // Metadata keeps only the raw front matter (its data may hold Dates); read the data again from it
  // (YAML + schema: once per distinct text, not on every save and backup).
  if (meta.frontMatter) doc.frontMatter = frontMatterOf(meta.frontMatter.raw);
  const log = executionLog(data);
  if (log) doc.log = log;
  return doc;
}

function fromCellData(cell: vscode.NotebookCellData): Cell {
  // Markup is kind 1 in the VS Code API.
  if (cell.kind === 1) {
    const meta = (cell.metadata?.runbook ?? {}) as Partial<MarkdownCellMeta>;
    const md: Cell = { kind: 'markdown', source: cell.value, gap: meta.gap };
    if (meta.raw !== undefined) md.raw = meta.raw;
    if (meta.openHtml !== undefined) md.openHtml = meta.openHtml;
    return md;
  }
  const meta = (cell.metadata?.runbook ?? {}) as Partial<CodeCellMeta>;
  const code: CodeCell = {
    kind: 'code',
    language: cell.languageId,
    source: cell.value,
    fence: meta.fence ?? newFence(cell.languageId, cell.value),
    attributes: meta.attributes ?? {},
    // Notices and scratch outputs stay out of the record; the recorded outputs they hide go back in.
    outputs: (cell.outputs ?? []).flatMap((o) => {
      const t = transientOf(o);
      return t ? (t.replaced ?? []) : [fromCellOutput(o)];
    }),
    gap: meta.gap,
  };
  if (meta.raw !== undefined) code.raw = meta.raw;
  return code;
}

function fromCellOutput(output: vscode.NotebookCellOutput): CellOutput {
  const meta = (output.metadata?.runbook ?? {}) as Partial<OutputMeta>;
  const texts = output.items.filter((item) => item.mime !== SVG).map((item) => decoder.decode(item.data));
  const stderr = output.items.some((item) => item.mime === STDERR);
  const result: CellOutput = {
    meta: meta.meta ?? (stderr ? { stream: 'stderr' } : {}),
    text: texts.join(''),
  };
  if (meta.lang !== undefined) result.lang = meta.lang;
  const raw = rawOf(meta, result.text);
  if (raw !== undefined) result.raw = raw;
  if (meta.image !== undefined) result.image = meta.image;
  return result;
}
