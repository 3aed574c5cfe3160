// Times as the incident record writes them: ISO UTC to the second, clock readings and compact durations.

/** `2026-11-23T05:12:00Z`: ISO 8601, UTC, whole seconds. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A front-matter or log time (string or Date) as a Date; undefined when it does not parse. */
export function toDate(value: string | Date | undefined | null): Date | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** A clock reading: `12:04` under an hour, `1:02:09` above (negative times read 0:00). */
export function clockText(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** `49m 12s`, `2h 05m`, `35s`, `1d 02h`: a duration for the front matter and the report. */
export function compactDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const p = (n: number) => String(n).padStart(2, '0');
  if (d) return `${d}d ${p(h)}h`;
  if (h) return `${h}h ${p(m)}m`;
  if (m) return `${m}m ${p(s)}s`;
  return `${s}s`;
}

/** `05:13:04` of an ISO time (UTC), or the text itself when it is not a time. */
export function timeOfDay(iso: string): string {
  const d = toDate(iso);
  return d ? d.toISOString().slice(11, 19) : iso;
}

/** `2026-11-23 05:12 UTC`. */
export function humanUtc(value: string | Date | undefined): string {
  const d = toDate(value);
  return d ? `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC` : '';
}
