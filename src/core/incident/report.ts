// The post-incident report, built from the record: details from the front matter, summary fields to fill
// (after the report templates of the seed runbooks: impact, root cause, resolution, follow-ups, lessons),
// then generated sections: timeline (log rows and notes), commands run with targets, exit codes and
// durations, hosts touched, and the state of the runbook's checklists.
import type { LogRow, RunbookDocument } from '../format/model.js';
import { verifyChain } from '../log/chain.js';
import { namedCodeCells } from '../run/documentRunner.js';
import { parseDuration } from '../util/duration.js';
import { alertReportLines } from './alert.js';
import { checklistItems } from './checklist.js';
import { runbookTitle } from './ids.js';
import { cellText, codeSpan, commandSummary, table } from './markdown.js';
import { isNote } from './notes.js';
import { findReportCells, REPORT_CLOSE, REPORT_OPEN } from './reportSection.js';
import { clockText, compactDuration, humanUtc, isoSeconds, timeOfDay, toDate } from './time.js';

export interface ReportOptions {
  /** When the report is generated (and the end of an incident still open). */
  now: Date;
  /** The summary section to use instead of the empty template (kept from an earlier report). */
  summary?: string;
  /** More generated sections (markdown starting with a `###` heading), e.g. the drill report. */
  sections?: string[];
}

const RUN_EVENTS = new Set(['run', 'timeout', 'cancel', 'error']);

export const SUMMARY_TEMPLATE = `### Summary

> Fill in these fields before sharing the record. Everything after this section is generated from the
> execution log and the runbook.

- **Executive summary**: _…_
- **Impact** (users affected, services affected, revenue and SLA impact): _…_
- **Root cause**: _…_
- **Contributing factors**: _…_
- **Resolution** (immediate actions taken, permanent fix, verification steps): _…_
- **Workarounds used**: _…_
- **What went well**: _…_
- **What could be improved**: _…_
- **Lessons learned**: _…_

#### Follow-ups

| Action | Owner | Due date | Priority |
|---|---|---|---|
| _…_ |  |  |  |`;

export function buildReport(doc: RunbookDocument, o: ReportOptions): string {
  const fm = doc.frontMatter?.data;
  const incident = fm?.incident;
  const rows = doc.log?.rows ?? [];
  const started = toDate(incident?.started);
  const ended = toDate(incident?.ended);
  const parts: string[] = [];
  parts.push(`${REPORT_OPEN} ${JSON.stringify({ generated: isoSeconds(o.now) })} -->`);
  parts.push(incident?.drill ? '## Post-incident report (drill)' : '## Post-incident report');
  parts.push(details(doc, rows, started, ended, o.now));
  parts.push((o.summary ?? SUMMARY_TEMPLATE).trim());
  parts.push(`### Timeline\n\n${timelineTable(rows, started, ended, incident?.status)}`);
  parts.push(`### Commands run\n\n${commands(doc, rows)}`);
  parts.push(`### Hosts touched\n\n${hosts(rows)}`);
  for (const section of o.sections ?? []) parts.push(section.trim());
  parts.push(`### Checklist state\n\n${checklists(doc)}\n\n${REPORT_CLOSE}`);
  return parts.join('\n\n') + '\n';
}

/** The summary cells of an existing report (what the team filled in), to carry into a regenerated one. */
export function existingSummary(doc: RunbookDocument): string | undefined {
  const range = findReportCells(doc.cells);
  if (!range) return undefined;
  const cells = doc.cells.slice(range.start, range.end);
  const start = cells.findIndex((c) => c.kind === 'markdown' && /^###\s+Summary\b/.test(c.source));
  if (start === -1) return undefined;
  const end = cells.findIndex((c, i) => i > start && c.kind === 'markdown' && /^###\s/.test(c.source));
  return cells.slice(start, end === -1 ? undefined : end).map((c) => c.source).join('\n\n');
}

function details(doc: RunbookDocument, rows: LogRow[], started: Date | undefined, ended: Date | undefined, now: Date): string {
  const fm = doc.frontMatter?.data;
  const incident = fm?.incident;
  const severity = incident?.severity ?? '';
  const target = severity ? fm?.severity?.[severity] : undefined;
  const targetMs = parseDuration(target);
  const lines: string[] = [];
  const title = runbookTitle(doc);
  lines.push(`- **Incident**: ${incident?.id ?? '(no id)'}${title ? ` — ${title}` : ''}`);
  if (incident?.drill) {
    const scenario = (incident as Record<string, unknown>).scenario;
    lines.push(`- **Drill**: yes, a tabletop exercise${typeof scenario === 'string' ? ` (scenario ${codeSpan(scenario)})` : ''}: nothing ran in production`);
  }
  lines.push(...alertReportLines(incident));
  lines.push(`- **Severity**: ${severity || 'not set'}${target ? ` (response target ${target})` : ''}`);
  lines.push(`- **Status**: ${incident?.status ?? 'open'}`);
  const end = ended ?? now;
  lines.push(`- **Started**: ${humanUtc(started) || '—'} · **Ended**: ${ended ? humanUtc(ended) : 'still open'} · **Duration**: ${started ? compactDuration(end.getTime() - started.getTime()) : '—'}`);
  const operators = [...new Set(rows.map((r) => r.operator).filter(Boolean))];
  lines.push(`- **Incident commander**: ${incident?.commander ?? '—'}${operators.length ? ` · **Operators**: ${operators.join(', ')}` : ''}`);
  const first = rows.find((r) => r.event !== 'dry-run' && r.event !== 'drill-start');
  if (first && started) {
    const after = new Date(first.time).getTime() - started.getTime();
    const verdict = targetMs === undefined ? '' : `; target ${clockText(targetMs)}: ${after <= targetMs ? 'met' : 'missed'}`;
    lines.push(`- **First action**: ${timeOfDay(first.time)} UTC (+${clockText(after)}${verdict})`);
  }
  const runs = rows.filter((r) => RUN_EVENTS.has(r.event));
  const failed = runs.filter((r) => r.exit !== 0).length;
  const chain = verifyChain(rows);
  lines.push(`- **Execution log**: ${rows.length} row(s), ${runs.length} command(s) run, ${failed} failed; hash chain ${chain.ok ? 'intact' : `broken at row ${chain.badRow}`}`);
  return lines.join('\n');
}

function describe(r: LogRow): string {
  const cell = r.cell ? codeSpan(r.cell) : '';
  const on = r.target ? ` on ${cellText(r.target)}` : '';
  const detail = r.detail ? `: ${cellText(r.detail)}` : '';
  if (isNote(r)) {
    const kind = r.event.slice(5);
    return `**${kind[0]!.toUpperCase()}${kind.slice(1)}**: ${cellText(r.detail ?? '')}`;
  }
  switch (r.event) {
    case 'run': return `Ran ${cell}${on} → exit ${r.exit ?? '?'} (${msText(r.ms)})`;
    case 'timeout': return `${cell} timed out${on} after ${msText(r.ms)}${detail}`;
    case 'cancel': return `${cell} cancelled${on} after ${msText(r.ms)}`;
    case 'error': return `${cell} failed to run${on}${detail}`;
    case 'confirm': return `Confirmed ${cell}${on}${detail}`;
    case 'decline': return `Declined ${cell}${on}${detail}`;
    case 'refuse': return `Refused ${cell}${on}${detail}`;
    case 'dry-run': return `Dry run of ${cell}${on}${detail}`;
    case 'resolve': return `Incident closed${detail}`;
    case 'drill-start': return `**Drill started**${detail}`;
    case 'drill-end': return `**Drill ended**${detail}`;
    default: return `${cellText(r.event)} ${cell}${on}${detail}`.trim();
  }
}

function msText(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 1000 ? `${ms} ms` : compactDuration(ms);
}

/** The timeline as a markdown table: the start, every log row in words, the end. */
export function timelineTable(rows: LogRow[], started: Date | undefined, ended: Date | undefined, status: string | undefined): string {
  const rel = (t: Date | undefined) => (t && started ? `+${clockText(t.getTime() - started.getTime())}` : '');
  const lines: string[][] = [];
  if (started) lines.push([timeOfDay(started.toISOString()), '+00:00', '', '**Incident started**']);
  for (const r of rows) lines.push([cellText(timeOfDay(r.time)), rel(toDate(r.time)), cellText(r.operator), describe(r)]);
  if (ended && !rows.some((r) => r.event === 'resolve')) lines.push([timeOfDay(ended.toISOString()), rel(ended), '', `**Incident ${status ?? 'ended'}**`]);
  if (!lines.length) return '_No events recorded._';
  return table(['Time (UTC)', 'T+', 'Who', 'Event'], lines);
}

function commands(doc: RunbookDocument, rows: LogRow[]): string {
  // Older records name unnamed cells `cell-N`: look those up too.
  const sources = new Map(namedCodeCells(doc).flatMap(({ cell, name, alias }) => [[alias, cell.source], [name, cell.source]] as const));
  const runs = rows.filter((r) => RUN_EVENTS.has(r.event));
  if (!runs.length) return '_No commands were run._';
  const result = (r: LogRow) => {
    if (r.event === 'timeout') return 'timed out';
    if (r.event === 'cancel') return 'cancelled';
    if (r.event === 'error' || r.exit === null) return 'error';
    return r.exit === 0 ? 'ok' : 'failed';
  };
  return table(['#', 'Cell', 'Command', 'Target', 'Started (UTC)', 'Exit', 'Duration', 'Result'],
    runs.map((r) => [String(r.n), codeSpan(r.cell), sources.has(r.cell) ? codeSpan(commandSummary(sources.get(r.cell)!)) : '',
      cellText(r.target), timeOfDay(r.time), r.exit === null ? '—' : String(r.exit), msText(r.ms), result(r)]),
    ['--:', '---', '---', '---', '---', '--:', '--:', '---']);
}

function hosts(rows: LogRow[]): string {
  const by = new Map<string, LogRow[]>();
  for (const r of rows) if (RUN_EVENTS.has(r.event) && r.target) by.set(r.target, [...(by.get(r.target) ?? []), r]);
  if (!by.size) return '_No host was touched._';
  return [...by].map(([target, rs]) => {
    const failed = rs.filter((r) => r.exit !== 0).length;
    const cells = [...new Set(rs.map((r) => r.cell))];
    return `- ${codeSpan(target)}: ${rs.length} run(s)${failed ? `, ${failed} failed` : ''}, ${timeOfDay(rs[0]!.time)}–${timeOfDay(rs[rs.length - 1]!.time)} UTC (${cells.map(codeSpan).join(', ')})`;
  }).join('\n');
}

function checklists(doc: RunbookDocument): string {
  const items = checklistItems(doc);
  if (!items.length) return '_The runbook has no checklist._';
  const sections = new Map<string, typeof items>();
  for (const item of items) sections.set(item.section, [...(sections.get(item.section) ?? []), item]);
  const out: string[] = [];
  for (const [section, list] of sections) {
    const done = list.filter((i) => i.done).length;
    out.push(`**${section || 'Checklist'}**: ${done}/${list.length} done\n\n${list.map((i) => `- ${i.done ? '☑' : '☐'} ${i.text}`).join('\n')}`);
  }
  return out.join('\n\n');
}
