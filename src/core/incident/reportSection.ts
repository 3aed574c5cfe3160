// Where the post-incident report lives in a record: markdown cells between two HTML comments (invisible
// on GitHub), appended after the runbook's own cells and before the execution log.
import type { Cell } from '../format/model.js';

export const REPORT_OPEN = '<!-- runbook:report';
export const REPORT_CLOSE = '<!-- /runbook:report -->';

/** Index range [start, end) of the report cells, or undefined when the record has no (closed) report. */
export function findReportCells(cells: readonly Cell[]): { start: number; end: number } | undefined {
  const start = cells.findIndex((c) => c.kind === 'markdown' && c.source.trimStart().startsWith(REPORT_OPEN));
  if (start === -1) return undefined;
  for (let i = start; i < cells.length; i++) {
    const c = cells[i]!;
    if (c.kind === 'markdown' && c.source.includes(REPORT_CLOSE)) return { start, end: i + 1 };
  }
  return undefined;
}

export function isReportCell(cells: readonly Cell[], index: number): boolean {
  const r = findReportCells(cells);
  return !!r && index >= r.start && index < r.end;
}
