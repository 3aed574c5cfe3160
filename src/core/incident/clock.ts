// The incident clock: time since the incident started against the response target of its severity
// (front matter `severity: { P0: 15m }`). The status bar shows `label` and turns to a warning when overdue.
import type { FrontMatter } from '../format/frontMatter.js';
import { parseDuration } from '../util/duration.js';
import { clockText, toDate } from './time.js';

export interface IncidentClock {
  id: string;
  severity: string;
  status: string;
  drill: boolean;
  /** Since `started`; frozen at `ended` once the incident has one. */
  elapsedMs: number;
  /** The severity's response target, when the runbook defines one. */
  targetMs?: number;
  overdue: boolean;
  /** True once the incident has ended (the clock no longer runs). */
  stopped: boolean;
  /** `CVD-20261123-0512 P0 · 12:04 / 15:00`. */
  label: string;
}

/** The clock of an incident record; undefined when the front matter has no incident (or no start time). */
export function incidentClock(frontMatter: FrontMatter | undefined, now: Date): IncidentClock | undefined {
  const incident = frontMatter?.incident;
  if (!incident) return undefined;
  const started = toDate(incident.started);
  if (!started) return undefined;
  const ended = toDate(incident.ended);
  const elapsedMs = Math.max(0, (ended ?? now).getTime() - started.getTime());
  const severity = incident.severity ?? '';
  const target = severity ? frontMatter?.severity?.[severity] : undefined;
  const targetMs = target === undefined ? undefined : parseDuration(target);
  const overdue = targetMs !== undefined && elapsedMs > targetMs;
  let label = `${incident.id}${severity ? ` ${severity}` : ''} · ${clockText(elapsedMs)}`;
  if (targetMs !== undefined) label += ` / ${clockText(targetMs)}`;
  if (ended) label += ` · ${incident.status ?? 'ended'}`;
  const clock: IncidentClock = {
    id: incident.id, severity, status: incident.status ?? 'open', drill: incident.drill === true, elapsedMs, overdue,
    stopped: !!ended, label,
  };
  if (targetMs !== undefined) clock.targetMs = targetMs;
  return clock;
}
