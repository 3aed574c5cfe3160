// What a drill leaves in its record besides the runs: a banner with the briefing at the top (visible in the
// notebook and on GitHub), a `drill-start` row in the log, and at End Drill a `drill-end` row, the clock
// stopped and the drill report appended.
import type { MarkdownCell, RunbookDocument } from '../format/model.js';
import { appendRow, digestOf } from '../log/chain.js';
import { buildReport, existingSummary } from '../incident/report.js';
import { replaceReport, resolveIncident } from '../incident/resolve.js';
import { isoSeconds } from '../incident/time.js';
import { drillReport } from './report.js';
import type { DrillManifest } from './scenario.js';

export const BANNER_MARK = '<!-- runbook:drill-briefing -->';

/** The banner's markdown: a blockquote that says this is a drill, which scenario, and the briefing. */
export function drillBanner(m: Pick<DrillManifest, 'id' | 'title' | 'briefing' | 'severity'>): string {
  const quote = (text: string) => text.split(/\r?\n/).map((l) => (l.trim() ? `> ${l}` : '>')).join('\n');
  return [
    BANNER_MARK,
    quote([
      `**🧪 DRILL — tabletop exercise.** Scenario \`${m.id}\`: ${m.title} (severity ${m.severity}).`,
      'Every host of this record is a stand-in on this machine: nothing real is touched. End it with **Runbook: End Drill**.',
      '',
      `**Briefing:** ${m.briefing.trim()}`,
    ].join('\n')),
  ].join('\n');
}

/** Whether a prose cell is the drill banner. */
export function isDrillBanner(cell: { kind: string; source: string }): boolean {
  return cell.kind === 'markdown' && cell.source.startsWith(BANNER_MARK);
}

/** The briefing of a drill record, read back from its banner (undefined when it has none). */
export function briefingOf(doc: RunbookDocument): string | undefined {
  const banner = doc.cells.find(isDrillBanner);
  const m = banner ? /\*\*Briefing:\*\* ([\s\S]*)$/.exec(banner.source) : null;
  return m ? m[1]!.split('\n').map((l) => l.replace(/^>\s?/, '')).join('\n').trim() : undefined;
}

/** Puts the banner at the top of a new drill record and the briefing into its log. */
export function addDrillStart(doc: RunbookDocument, m: DrillManifest, operator: string, now: Date): void {
  const banner: MarkdownCell = { kind: 'markdown', source: drillBanner(m) };
  doc.cells.unshift(banner);
  doc.log ??= { raw: '', rows: [], parsedCount: 0 };
  const detail = `scenario ${m.id}: ${m.briefing.replace(/\s*\r?\n\s*/g, ' ').trim()}`;
  appendRow(doc.log.rows, {
    time: isoSeconds(now), operator, target: '', cell: '', event: 'drill-start', exit: null, ms: null,
    digest: digestOf('drill-start', detail), detail,
  });
}

export interface DrillEnd {
  /** True when End Drill also closed the incident (it was still open). */
  closed: boolean;
  /** The drill report's markdown as appended. */
  report: string;
}

/**
 * End Drill: a `drill-end` row, the clock stopped (status `ended` unless the drill was resolved already) and
 * the report regenerated with the drill's section (keeping the summary the team wrote).
 */
export function endDrillRecord(doc: RunbookDocument, m: DrillManifest | undefined, operator: string, now: Date): DrillEnd {
  const incident = doc.frontMatter?.data?.incident;
  if (!incident) throw new Error('this is not a drill record (no `incident:` in its front matter)');
  doc.log ??= { raw: '', rows: [], parsedCount: 0 };
  const detail = m ? `scenario ${m.id} torn down` : 'scenario torn down';
  appendRow(doc.log.rows, {
    time: isoSeconds(now), operator, target: '', cell: '', event: 'drill-end', exit: null, ms: null,
    digest: digestOf('drill-end', detail), detail,
  });
  const sections = (d: RunbookDocument) => [drillReport(d, m).markdown];
  if (!incident.ended) {
    const r = resolveIncident(doc, { now, status: 'ended', operator, sections });
    return { closed: true, report: r.report };
  }
  const summary = existingSummary(doc);
  const report = buildReport(doc, { now, ...(summary === undefined ? {} : { summary }), sections: sections(doc) });
  replaceReport(doc, report);
  return { closed: false, report };
}
