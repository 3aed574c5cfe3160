// Typed access to what the serializer keeps in notebook, cell and output metadata (the `runbook` key, see
// notebookData.ts). Every adapter reads and writes that metadata through these functions, never through a
// cast: metadata comes back from VS Code (and the language client) as loose JSON, so each reader checks
// the shape it needs and a missing or odd value reads as "absent". Plain objects in, plain objects out
// (no `vscode` at run time), so the language server and unit tests use them too.
import type { Attributes, CellOutput, ExecutionLogSection, FenceInfo, FrontMatterProblem, LogRow } from '../core/format/index.js';
import { readFrontMatter, readLogSection, type FrontMatter } from '../core/format/index.js';
import type { TransientOutputMeta } from './notebookData.js';

/** A notebook, a cell or an output (or their *Data, or a language-server notebook): whatever carries metadata. */
export interface HasMetadata {
  readonly metadata?: unknown;
}

type Bag = Record<string, unknown>;

const isBag = (v: unknown): v is Bag => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The metadata object itself ({} when absent or not an object). */
function metadataOf(x: HasMetadata | undefined): Bag {
  return isBag(x?.metadata) ? x.metadata : {};
}

/** The `runbook` part of the metadata ({} when absent). */
function runbookOf(x: HasMetadata | undefined): Bag {
  const r = metadataOf(x).runbook;
  return isBag(r) ? r : {};
}

// --- Notebook ----------------------------------------------------------------------------------------

/** The notebook's front matter as written (without its `---` lines' parse), if it has one. */
export function frontMatterRaw(nb: HasMetadata | undefined): string | undefined {
  const fm = runbookOf(nb).frontMatter;
  return isBag(fm) && typeof fm.raw === 'string' ? fm.raw : undefined;
}

/** `read` of a text, kept for the last text it was asked about (asked again and again with the same text). */
function lastOf<T>(read: (raw: string) => T): (raw: string) => T {
  let last: { raw: string; value: T } | undefined;
  return (raw) => {
    if (last?.raw !== raw) last = { raw, value: read(raw) };
    return last.value;
  };
}

/**
 * The front matter read from its raw text (YAML + schema), once per distinct text: every run, cell status
 * bar, save and backup asks (the first parse of a record's front matter took 20 ms before its first run,
 * issue 17). Shared: callers must not change what it returns.
 */
export const frontMatterOf: (raw: string) => ReturnType<typeof readFrontMatter> = lastOf(readFrontMatter);

/** The notebook's front matter data, as its text says now (undefined without one, or when it does not validate). */
export function frontMatterData(nb: HasMetadata | undefined): FrontMatter | undefined {
  const raw = frontMatterRaw(nb);
  return raw ? frontMatterOf(raw).data : undefined;
}

/** What is wrong with the notebook's front matter now ([] without one). */
export function frontMatterProblemMessages(nb: HasMetadata | undefined): string[] {
  const raw = frontMatterRaw(nb);
  return raw ? frontMatterOf(raw).errors.map((e) => e.message) : [];
}

/**
 * The front matter and the problems the parser finds in it (what the Problems panel shows), read from its
 * text: the serializer keeps only the text (notebookData.ts).
 */
export function frontMatterMeta(nb: HasMetadata | undefined): { raw: string; errors: FrontMatterProblem[] } | undefined {
  const raw = frontMatterRaw(nb);
  return raw === undefined ? undefined : { raw, errors: frontMatterOf(raw).errors };
}

/**
 * How notebook metadata holds the execution log: the section as read, and the rows appended since. The rows
 * read from `raw` are not kept beside it (issue 17): the metadata crosses between the extension host and
 * the window at open, at each save and backup, and on each run's log edit, and a big record's rows as JSON
 * weigh more than their text. They are read from `raw` again when asked (executionLog).
 */
export interface LogMeta {
  raw: string;
  added: LogRow[];
}

/** The log as notebook metadata holds it (see LogMeta). */
export function logMetaOf(log: ExecutionLogSection): LogMeta {
  return { raw: log.raw, added: log.rows.slice(log.parsedCount) };
}

/** The rows of a log section's text, read once per distinct text (every run asks; the rows are shared, frozen). */
const rowsOf: (raw: string) => readonly LogRow[] = lastOf((raw) => Object.freeze(readLogSection(raw).rows.map((r) => Object.freeze(r))));

/** The notebook's execution log section (rows as read and appended), if it has one. */
export function executionLog(nb: HasMetadata | undefined): ExecutionLogSection | undefined {
  const log = runbookOf(nb).log;
  if (!isBag(log)) return undefined;
  const raw = typeof log.raw === 'string' ? log.raw : '';
  if (Array.isArray(log.added)) {
    const read = rowsOf(raw);
    // The section is written as `raw` plus the rows after the ones read from it (renderLogSection).
    return { raw, rows: [...read, ...(log.added.filter(isBag) as unknown as LogRow[])], parsedCount: read.length };
  }
  // Rows kept whole: metadata of an earlier version (a backup VS Code restores).
  if (!Array.isArray(log.rows)) return undefined;
  const rows = log.rows.filter(isBag) as unknown as LogRow[];
  return { raw, rows, parsedCount: typeof log.parsedCount === 'number' ? log.parsedCount : rows.length };
}

/** The text after the execution log (or after the last cell) as read: where a seal block sits. */
export function documentTail(nb: HasMetadata | undefined): string {
  const tail = runbookOf(nb).tail;
  return typeof tail === 'string' ? tail : '';
}

/** The rows of the notebook's execution log ([] without one). */
export function logRowsOf(nb: HasMetadata | undefined): LogRow[] {
  return executionLog(nb)?.rows ?? [];
}

/** The notebook's metadata with its execution log set to `log` (for NotebookEdit.updateNotebookMetadata). */
export function withExecutionLog(nb: HasMetadata, log: ExecutionLogSection): Bag {
  return { ...metadataOf(nb), runbook: { ...runbookOf(nb), log: logMetaOf(log) } };
}

/** Only what the language server reads: `{ runbook: { frontMatter } }` (the log stays behind, issue 17). */
export function languageServerMetadata(nb: HasMetadata): Bag {
  const frontMatter = runbookOf(nb).frontMatter;
  return frontMatter === undefined ? {} : { runbook: { frontMatter } };
}

// --- Cells -------------------------------------------------------------------------------------------

/** A code cell's fence attributes (`name=`, `host=`, `timeout=`, …); {} when it has none. */
export function cellAttributes(cell: HasMetadata | undefined): Attributes {
  const a = runbookOf(cell).attributes;
  if (!isBag(a)) return {};
  const out: Attributes = {};
  for (const [k, v] of Object.entries(a)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null) out[k] = v;
  }
  return out;
}

/** How a code cell's fence was written (undefined for a cell created in the notebook). */
export function cellFence(cell: HasMetadata | undefined): FenceInfo | undefined {
  const f = runbookOf(cell).fence;
  return isBag(f) && typeof f.marker === 'string' ? (f as unknown as FenceInfo) : undefined;
}

/** Whether two cells (or cell data) carry the same serializer metadata (gaps, fence, raw bytes…). */
export function sameRunbookMetadata(a: HasMetadata, b: HasMetadata): boolean {
  return JSON.stringify(metadataOf(a).runbook) === JSON.stringify(metadataOf(b).runbook);
}

// --- Outputs -----------------------------------------------------------------------------------------

/** Where, when and how a recorded output's run happened (undefined for outputs without it, e.g. notices). */
export function outputRunMeta(output: HasMetadata | undefined): CellOutput['meta'] | undefined {
  const m = runbookOf(output).meta;
  return isBag(m) ? (m as CellOutput['meta']) : undefined;
}

/** The metadata of a scratch run's output: shown on the cell, kept out of the record (its own metadata rides along). */
export function scratchOutputMetadata(output: HasMetadata): { runbook: TransientOutputMeta & { scratch: unknown } } {
  return { runbook: { transient: true, scratch: metadataOf(output).runbook } };
}

/** The notice or scratch output a cell shows but the record never holds (src/kernel/cellNotice.ts). */
export function transientMeta(output: HasMetadata | undefined): TransientOutputMeta | undefined {
  const r = runbookOf(output);
  return r.transient === true ? (r as unknown as TransientOutputMeta) : undefined;
}
