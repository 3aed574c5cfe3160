// The runbook document model shared by the serializer, the CLI, the kernel and the VS Code adapters.
// Everything needed to write the original bytes back is kept here (DESIGN §1, round-trip law).

export type Eol = '\n' | '\r\n';

/** Attribute values from a fence info string: `{name=x timeout=30s}` or `{"name":"x"}`. */
export type AttributeValue = string | number | boolean | null;
export type Attributes = Record<string, AttributeValue>;

/** How a fenced block was written, so it can be written back unchanged. */
export interface FenceInfo {
  /**
   * Indentation of the fence's lines: the whitespace in front of the opening fence, or (for a fence opened
   * on a list-marker line) spaces up to its column. Outputs of the cell are written with it too.
   */
  indent: string;
  /** Text in front of the opening fence when it is not `indent`: a list marker, e.g. "1. " or "- ". */
  lead?: string;
  /** The fence is inside a list item. */
  inList?: boolean;
  /** The fence characters, e.g. "```" or "~~~~". */
  marker: string;
  /** The info string exactly as written after the marker (may be empty, may carry trailing spaces). */
  info: string;
  /** The language token from the info string ("" when none). */
  lang: string;
  /** The closing fence line without its line ending; null when the fence was never closed. */
  close: string | null;
  /** Whether the attributes were written as JSON (`{"name":"x"}`) rather than `{k=v}`. */
  jsonAttributes?: boolean;
  /** An unclosed fence that runs to the end of the text: anything written after it needs a closing line. */
  runsToEnd?: boolean;
  /** Empty content lines were written with the indentation too (common inside list items). */
  indentBlankLines?: boolean;
}

/** Metadata written in an output block's opening comment. Unknown keys are kept. */
export interface OutputMeta {
  cell?: string;
  stream?: 'stdout' | 'stderr';
  kind?: string;
  host?: string;
  user?: string;
  started?: string;
  ms?: number;
  exit?: number | null;
  [key: string]: unknown;
}

export interface CellOutput {
  meta: OutputMeta;
  /** Output text, lines joined with "\n". */
  text: string;
  /** Language of the inner fence ("text" by default). */
  lang?: string;
  /** The block's original bytes (leading gap included); written back while `text`/`meta` are unchanged. */
  raw?: string;
  /**
   * An image shown under the output (a PromQL chart beside the record): written as a markdown image line
   * after the code block, inside the output block, so GitHub shows the picture (docs/DESIGN-NOTES.md).
   */
  image?: OutputImage;
  /** SVG shown in the notebook with the output (the chart's picture); never written to the record. */
  svg?: string;
}

export interface OutputImage {
  /** Alt text: no `[`, `]`, backslash or line break. */
  alt: string;
  /** A relative link: no spaces, parentheses or angle brackets (percent-encoded). */
  src: string;
}

/** Where a cell was in the parsed text: 0-based lines, end exclusive (outputs and gap excluded). */
export interface LineRange {
  start: number;
  end: number;
}

export interface MarkdownCell {
  kind: 'markdown';
  range?: LineRange;
  /** Prose with "\n" line endings and without the trailing blank lines (those are in `gap`). */
  source: string;
  /**
   * Bytes after the cell: the line ending of its last line plus blank lines up to the next block.
   * Undefined for a cell made in the editor: a blank line is written.
   */
  gap?: string;
  /** Original bytes of the cell (gap excluded) when they cannot be rebuilt from `source` (mixed EOLs). */
  raw?: string;
  /**
   * The file ended inside an HTML block this prose opened that only a closing text ends (`<!--` without
   * `-->`): the line that closes it, written before anything added after the cell.
   */
  openHtml?: string;
}

export interface CodeCell {
  kind: 'code';
  range?: LineRange;
  /** VS Code language id: shellscript, sql, http, or the fence language as written. */
  language: string;
  /** Content between the fences, indentation removed, "\n" line endings, no final newline. */
  source: string;
  fence: FenceInfo;
  attributes: Attributes;
  outputs: CellOutput[];
  /** As for markdown cells (undefined for new cells). */
  gap?: string;
  /** Original bytes of the fenced block (outputs and gap excluded) when they cannot be rebuilt. */
  raw?: string;
}

export type Cell = MarkdownCell | CodeCell;

export interface FrontMatterBlock {
  /** The whole block verbatim: opening `---`, YAML, closing line, and its line ending. */
  raw: string;
  /** The YAML between the delimiters. */
  yaml: string;
  /** Parsed and validated data; undefined when YAML or schema validation failed. */
  data?: import('./frontMatter.js').FrontMatter;
  /** Human-readable problems (YAML syntax or schema); the text is kept verbatim regardless. */
  errors: FrontMatterProblem[];
}

export interface FrontMatterProblem {
  message: string;
  /** 0-based line in the document, when known. */
  line?: number;
}

/** One row of the hash-chained execution log (DESIGN §1). */
export interface LogRow {
  /** 1-based sequence number. */
  n: number;
  /** ISO time, UTC. */
  time: string;
  operator: string;
  target: string;
  cell: string;
  /** run, cancel, timeout, refuse, confirm, decline, note, ... */
  event: string;
  exit: number | null;
  ms: number | null;
  /** Digest of command + output (hex prefix). */
  digest: string;
  /** Chain hash: hash(previous chain + this row) (hex prefix). */
  chain: string;
  /** Digest of the cell's source as written in the record (rows that wrote outputs; format 2). */
  src?: string;
  /** Digest of the cell's outputs as the record stores them: text, language and metadata (format 2). */
  out?: string;
  /** Free text (notes, reasons). */
  detail?: string;
}

export interface ExecutionLogSection {
  /** Original bytes of the section (leading marker to closing marker line, line ending included). */
  raw: string;
  rows: LogRow[];
  /** Number of rows read from `raw`; rows after it are appended when writing. */
  parsedCount: number;
}

export interface RunbookDocument {
  /** Line ending used for new text: the first line ending of the file. */
  eol: Eol;
  /** The file started with a UTF-8 byte order mark. */
  bom: boolean;
  frontMatter?: FrontMatterBlock;
  /** Blank lines between the front matter (or file start) and the first cell. */
  lead: string;
  cells: Cell[];
  log?: ExecutionLogSection;
  /** Bytes after the execution log (normally empty or blank lines). */
  tail: string;
}
