// Where the post-incident report lives in a record: markdown cells between two HTML comments (invisible
// on GitHub), appended after the runbook's own cells and before the execution log. Once saved and read back,
// the opening comment may share a prose cell with the runbook's last paragraph: `lead` is that paragraph.
import type { Cell, MarkdownCell } from '../format/model.js';

export const REPORT_OPEN = '<!-- runbook:report';
export const REPORT_CLOSE = '<!-- /runbook:report -->';

export interface ReportRange {
  /** Index range [start, end) of the cells holding the report. */
  start: number;
  end: number;
  /** Prose of the runbook before the opening comment in the first cell (the report starts mid-cell). */
  lead?: string;
}

const OPEN_LINE = /(^|\n)[ \t]*<!-- runbook:report\b/;

/** The report's cells, or undefined when the record has no (closed) report. */
export function findReportCells(cells: readonly Cell[]): ReportRange | undefined {
  const start = cells.findIndex((c) => c.kind === 'markdown' && OPEN_LINE.test(c.source));
  if (start === -1) return undefined;
  for (let i = start; i < cells.length; i++) {
    const c = cells[i]!;
    if (c.kind === 'markdown' && c.source.includes(REPORT_CLOSE)) {
      const source = cells[start]!.source;
      const at = source.search(OPEN_LINE);
      const lead = at > 0 ? source.slice(0, at) : undefined;
      return lead?.trim() ? { start, end: i + 1, lead } : { start, end: i + 1 };
    }
  }
  return undefined;
}

/** The report's text in its first cell (without the runbook's lead). */
export function reportPartOf(cell: Cell, range: ReportRange): string {
  return range.lead === undefined ? cell.source : cell.source.slice(range.lead.length).replace(/^\r?\n/, '');
}

/** Replaces the report's cells with `cells` (none: removes the report); the runbook's lead stays as a cell. */
export function spliceReport(all: Cell[], range: ReportRange, cells: Cell[]): void {
  if (range.lead === undefined) {
    all.splice(range.start, range.end - range.start, ...cells);
    return;
  }
  const first = all[range.start] as MarkdownCell;
  const kept: MarkdownCell = { ...first, source: range.lead.replace(/\s+$/, '') };
  delete kept.raw;
  all.splice(range.start, range.end - range.start, kept, ...cells);
}

export function isReportCell(cells: readonly Cell[], index: number): boolean {
  const r = findReportCells(cells);
  return !!r && index >= r.start && index < r.end && !(index === r.start && r.lead !== undefined);
}
