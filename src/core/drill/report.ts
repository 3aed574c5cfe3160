// The drill report: when each step of the scenario was done (from the execution log), against the
// response target of the drill's severity (front matter `severity:`), and the time to recovery.
import type { LogRow, RunbookDocument } from '../format/model.js';
import { cellText, codeSpan, table } from '../incident/markdown.js';
import { clockText, timeOfDay, toDate } from '../incident/time.js';
import { parseDuration } from '../util/duration.js';
import type { DrillManifest } from './scenario.js';

export interface DrillStepTiming {
  phase: string;
  cell: string;
  /** When the step's run ended (ISO), undefined when it was not run. */
  doneAt?: string;
  /** From the incident start to the end of the step's run. */
  elapsedMs?: number;
  /** The run exited 0. */
  ok?: boolean;
  /** Done within the severity's response target (undefined without a target or when not done). */
  withinTarget?: boolean;
  recovery: boolean;
}

export interface DrillReport {
  id: string;
  severity: string;
  targetMs?: number;
  steps: DrillStepTiming[];
  /** Cells run that are not steps of the scenario. */
  extra: string[];
  recoveryMs?: number;
  recoveredWithinTarget?: boolean;
  markdown: string;
}

const RUN_EVENTS = new Set(['run', 'timeout', 'cancel', 'error']);

export function drillReport(doc: RunbookDocument, manifest?: DrillManifest): DrillReport {
  const fm = doc.frontMatter?.data;
  const incident = fm?.incident;
  const severity = incident?.severity ?? manifest?.severity ?? '';
  const targetMs = parseDuration(severity ? fm?.severity?.[severity] : undefined);
  const started = toDate(incident?.started);
  const runs = (doc.log?.rows ?? []).filter((r) => RUN_EVENTS.has(r.event));
  const plan = manifest?.steps ?? firstRuns(runs).map((r) => ({ cell: r.cell, phase: '', recovery: false }));
  const steps: DrillStepTiming[] = [];
  let cursor = 0;
  for (const s of plan) {
    const at = runs.findIndex((r, i) => i >= cursor && r.cell === s.cell);
    const step: DrillStepTiming = { phase: s.phase, cell: s.cell, recovery: s.recovery === true };
    if (at !== -1) {
      cursor = at + 1;
      const row = runs[at]!;
      const end = endOf(row);
      if (end) {
        step.doneAt = end.toISOString();
        if (started) step.elapsedMs = end.getTime() - started.getTime();
      }
      step.ok = row.event === 'run' && row.exit === 0;
      if (targetMs !== undefined && step.elapsedMs !== undefined) step.withinTarget = step.elapsedMs <= targetMs;
    }
    steps.push(step);
  }
  const planned = new Set(plan.map((s) => s.cell));
  const extra = [...new Set(runs.filter((r) => !planned.has(r.cell)).map((r) => r.cell))];
  const recovery = [...steps].reverse().find((s) => s.recovery) ?? (manifest ? undefined : steps[steps.length - 1]);
  const report: DrillReport = { id: incident?.id ?? '', severity, steps, extra, markdown: '' };
  if (targetMs !== undefined) report.targetMs = targetMs;
  if (recovery?.elapsedMs !== undefined && recovery.ok) {
    report.recoveryMs = recovery.elapsedMs;
    if (targetMs !== undefined) report.recoveredWithinTarget = recovery.elapsedMs <= targetMs;
  }
  report.markdown = render(report, manifest);
  return report;
}

function firstRuns(runs: LogRow[]): LogRow[] {
  const seen = new Set<string>();
  return runs.filter((r) => (seen.has(r.cell) ? false : (seen.add(r.cell), true)));
}

function endOf(row: LogRow): Date | undefined {
  const t = toDate(row.time);
  return t ? new Date(t.getTime() + (row.ms ?? 0)) : undefined;
}

function render(r: DrillReport, manifest?: DrillManifest): string {
  const lines: string[] = ['### Drill: time to each step', ''];
  if (manifest) lines.push(`Scenario ${codeSpan(manifest.id)}: ${cellText(manifest.title)}.`, '');
  lines.push(r.targetMs !== undefined
    ? `Severity ${r.severity}: response target ${clockText(r.targetMs)} (the runbook's \`severity:\`).`
    : `Severity ${r.severity || '(none)'}: the runbook sets no response target for it.`, '');
  const mark = (s: DrillStepTiming) => (s.withinTarget === undefined ? '' : s.withinTarget ? '✔ yes' : '✘ no');
  lines.push(table(['Phase', 'Cell', 'Done at (UTC)', 'T+', 'Result', 'Within target'], r.steps.map((s) => [
    cellText(s.phase || '—') + (s.recovery ? ' (recovery)' : ''), codeSpan(s.cell), s.doneAt ? timeOfDay(s.doneAt) : '',
    s.elapsedMs !== undefined ? `+${clockText(s.elapsedMs)}` : '', s.doneAt ? (s.ok ? 'ok' : 'failed') : 'not done', mark(s),
  ])));
  lines.push('');
  if (r.recoveryMs !== undefined) {
    const verdict = r.recoveredWithinTarget === undefined ? '' : `, target ${clockText(r.targetMs!)}: ${r.recoveredWithinTarget ? 'met' : 'missed'}`;
    lines.push(`**Time to recovery**: +${clockText(r.recoveryMs)}${verdict}.`);
  } else lines.push('**Time to recovery**: not reached (the recovery step did not succeed).');
  if (r.extra.length) lines.push('', `Other cells run: ${r.extra.map(codeSpan).join(', ')}.`);
  return lines.join('\n');
}
