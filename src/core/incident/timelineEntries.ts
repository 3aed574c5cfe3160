// The timeline and execution log as a person reads them in the editor's side view: one entry per row, in
// plain words, with the time since the incident started.
import type { FrontMatter } from '../format/frontMatter.js';
import type { LogRow } from '../format/model.js';
import { clockText, compactDuration, timeOfDay, toDate } from './time.js';

export type EntryKind = 'start' | 'ok' | 'failed' | 'not-run' | 'confirm' | 'note' | 'event' | 'end';

export interface TimelineEntry {
  /** Log row number (0 for the incident start). */
  n: number;
  /** `05:13:04` (UTC). */
  time: string;
  /** `+01:04` since the incident started ('' outside an incident). */
  since: string;
  who: string;
  kind: EntryKind;
  /** What happened, in words. */
  text: string;
  /** Target, exit code and duration, for the second column. */
  facts: string;
}

const took = (ms: number | null) => (ms === null ? '' : ms < 1000 ? `${ms} ms` : compactDuration(ms));

export function timelineEntries(fm: FrontMatter | undefined, rows: readonly LogRow[]): TimelineEntry[] {
  const incident = fm?.incident;
  const started = toDate(incident?.started);
  const since = (t: string) => {
    const d = toDate(t);
    return d && started ? `+${clockText(d.getTime() - started.getTime())}` : '';
  };
  const out: TimelineEntry[] = [];
  if (incident && started) {
    out.push({ n: 0, time: timeOfDay(started.toISOString()), since: '+00:00', who: String(incident.commander ?? ''), kind: 'start',
      text: `${incident.drill ? 'Drill' : 'Incident'} ${incident.id} started${incident.severity ? ` (${incident.severity})` : ''}`, facts: '' });
  }
  for (const r of rows) {
    const cell = r.cell ? `"${r.cell}"` : '';
    const facts = [r.target, r.exit === null ? '' : `exit ${r.exit}`, took(r.ms)].filter(Boolean).join(' · ');
    let kind: EntryKind = 'event';
    let text: string;
    if (r.event.startsWith('note:')) {
      kind = 'note';
      const k = r.event.slice(5);
      text = `${k[0]!.toUpperCase()}${k.slice(1)}: ${r.detail ?? ''}`;
    } else {
      switch (r.event) {
        case 'run': kind = r.exit === 0 ? 'ok' : 'failed'; text = `Ran ${cell}`; break;
        case 'timeout': kind = 'failed'; text = `${cell} timed out`; break;
        case 'cancel': kind = 'failed'; text = `${cell} cancelled`; break;
        case 'error': kind = 'failed'; text = `${cell} could not run${r.detail ? `: ${r.detail}` : ''}`; break;
        case 'confirm': kind = 'confirm'; text = `Confirmed ${cell}`; break;
        case 'decline': kind = 'not-run'; text = `Declined ${cell}`; break;
        case 'refuse': kind = 'not-run'; text = `Refused ${cell}${r.detail ? `: ${r.detail}` : ''}`; break;
        case 'dry-run': text = `Dry run of ${cell}`; break;
        case 'resolve': kind = 'end'; text = `Closed${r.detail ? `: ${r.detail}` : ''}`; break;
        case 'drill-start': kind = 'start'; text = `Drill briefing: ${r.detail ?? ''}`; break;
        case 'drill-end': kind = 'end'; text = `Drill ended${r.detail ? `: ${r.detail}` : ''}`; break;
        default: text = `${r.event} ${cell}${r.detail ? `: ${r.detail}` : ''}`.trim();
      }
    }
    out.push({ n: r.n, time: timeOfDay(r.time), since: since(r.time), who: r.operator, kind, text, facts });
  }
  return out;
}
