// Start incident from runbook: a clean copy of the runbook (no outputs, no execution log, no old report)
// whose front matter says which incident it records. The source runbook text is not touched.
import { serializeRunbook } from '../format/serialize.js';
import type { RunbookDocument } from '../format/model.js';
import { editFrontMatter, type FrontMatterEdit } from './frontMatterEdit.js';
import { incidentId, incidentPrefix, runbookTitle, safeId, slugOf } from './ids.js';
import { findReportCells, spliceReport } from './reportSection.js';
import { isoSeconds } from './time.js';

export interface StartIncidentOptions {
  /** Default: `<PREFIX>-<YYYYMMDD>-<HHMM>` from the title and `now`. */
  id?: string;
  /** One of the runbook's `severity:` levels (any text when the runbook defines none). */
  severity: string;
  /** The incident commander. */
  operator: string;
  now: Date;
  /** File name slug (default: from the title). */
  slug?: string;
  /** Marks the record as a tabletop drill (`incident.drill: true`). */
  drill?: boolean;
  /** More keys for the `incident:` map (e.g. the drill scenario). */
  extra?: Record<string, unknown>;
  /** More front matter edits (e.g. variable defaults from an alert's labels). */
  edits?: FrontMatterEdit[];
}

export interface StartedIncident {
  id: string;
  fileName: string;
  /** The record: `text` is its serialization, what the file holds. */
  doc: RunbookDocument;
  text: string;
}

/** The runbook's severity levels, in the order written (front matter `severity:`). */
export function severityLevels(doc: RunbookDocument): string[] {
  return Object.keys(doc.frontMatter?.data?.severity ?? {});
}

/** The incident record of a runbook; `runbook` itself is not changed. */
export function startIncident(runbook: RunbookDocument, o: StartIncidentOptions): StartedIncident {
  const doc = structuredClone(runbook);
  if (doc.frontMatter?.errors.length) {
    throw new Error(`the runbook's front matter has problems: ${doc.frontMatter.errors.map((e) => e.message).join('; ')}`);
  }
  const levels = severityLevels(doc);
  const severity = o.severity.trim();
  if (!severity) throw new Error('choose a severity');
  if (levels.length && !levels.includes(severity)) {
    throw new Error(`unknown severity "${severity}": this runbook defines ${levels.join(', ')}`);
  }
  const title = runbookTitle(doc);
  const id = safeId(o.id ?? incidentId((o.drill ? 'DRILL-' : '') + incidentPrefix(title), o.now));
  clearRecord(doc);
  const incident: Record<string, unknown> = {
    id, severity, status: 'open', started: isoSeconds(o.now), commander: o.operator,
  };
  if (o.drill) incident.drill = true;
  Object.assign(incident, o.extra ?? {});
  const edits: FrontMatterEdit[] = [{ path: ['incident'], value: incident }, ...(o.edits ?? [])];
  editFrontMatter(doc, edits);
  const slug = slugOf(o.slug ?? (title || 'runbook'));
  return { id, fileName: `${id}-${slug}.runbook.md`, doc, text: serializeRunbook(doc) };
}

/** Removes what a previous run left: outputs, the execution log, a post-incident report. */
export function clearRecord(doc: RunbookDocument): void {
  for (const cell of doc.cells) if (cell.kind === 'code') cell.outputs = [];
  const report = findReportCells(doc.cells);
  if (report) spliceReport(doc.cells, report, []);
  if (doc.log) {
    doc.log = undefined;
    doc.tail = '';
    const last = doc.cells[doc.cells.length - 1];
    if (last && last.gap !== undefined) last.gap = last.gap.replace(/(\r?\n)[\s\S]*$/, '$1');
  }
}
