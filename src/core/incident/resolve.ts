// Resolve incident: status, end time and duration in the front matter, a `resolve` row in the execution
// log, and the post-incident report appended (or regenerated, keeping the summary the team filled in).
import { parseRunbook } from '../format/parse.js';
import type { Cell, RunbookDocument } from '../format/model.js';
import { appendRow, digestOf } from '../log/chain.js';
import { editFrontMatter } from './frontMatterEdit.js';
import { buildReport, existingSummary, SUMMARY_TEMPLATE } from './report.js';
import { fillSummary, type SummaryAnswers } from './summaryAnswers.js';
import { findReportCells, spliceReport } from './reportSection.js';
import { compactDuration, isoSeconds, toDate } from './time.js';

export interface ResolveOptions {
  now: Date;
  /** `resolved` (default), or e.g. `closed`, `mitigated`. */
  status?: string;
  /** Who resolves (default: the incident commander). */
  operator?: string;
  /** More generated report sections (e.g. `drillReport(doc, manifest).markdown`, computed after this call's log row is in). */
  sections?: (doc: RunbookDocument) => string[];
  /** Answers to the summary questions (empty ones are skipped): written into the report's summary. */
  answers?: SummaryAnswers;
}

export interface Resolved {
  durationMs: number;
  /** The report's markdown as appended to the record. */
  report: string;
}

export function resolveIncident(doc: RunbookDocument, o: ResolveOptions): Resolved {
  const incident = doc.frontMatter?.data?.incident;
  if (!incident) throw new Error('this runbook is not an incident record (no `incident:` in its front matter): start an incident first');
  const started = toDate(incident.started);
  if (!started) throw new Error('the incident has no valid `started` time');
  const status = (o.status ?? 'resolved').trim() || 'resolved';
  const ended = new Date(isoSeconds(o.now)); // as written in the front matter
  const durationMs = Math.max(0, ended.getTime() - started.getTime());
  const duration = compactDuration(durationMs);
  editFrontMatter(doc, [
    { path: ['incident', 'status'], value: status },
    { path: ['incident', 'ended'], value: isoSeconds(ended) },
    { path: ['incident', 'duration'], value: duration },
  ]);
  doc.log ??= { raw: '', rows: [], parsedCount: 0 };
  const detail = `status ${status}, duration ${duration}`;
  appendRow(doc.log.rows, {
    time: isoSeconds(o.now), operator: o.operator ?? incident.commander ?? '', target: '', cell: '', event: 'resolve',
    exit: null, ms: null, digest: digestOf('resolve', detail), detail,
  });
  const kept = existingSummary(doc);
  const summary = o.answers ? fillSummary(kept ?? SUMMARY_TEMPLATE, o.answers) : kept;
  const report = buildReport(doc, { now: o.now, ...(summary === undefined ? {} : { summary }), sections: o.sections?.(doc) ?? [] });
  replaceReport(doc, report);
  return { durationMs, report };
}

/** Puts report markdown into the record as cells (replacing an earlier report), before the execution log. */
export function replaceReport(doc: RunbookDocument, markdown: string): void {
  const old = findReportCells(doc.cells);
  const cells: Cell[] = parseRunbook(markdown).cells.map((c) => {
    const cell = { ...c };
    delete cell.range;
    delete cell.gap; // new cells: the serializer puts a blank line around them in the record's line endings
    return cell;
  });
  if (old) spliceReport(doc.cells, old, cells);
  else doc.cells.push(...cells);
}
