// Incident ids (`CVD-20261123-0512`) and file names (`<ID>-<slug>.runbook.md`).
import type { RunbookDocument } from '../format/model.js';

const FILLER = new Set(['incident', 'incidents', 'response', 'runbook', 'runbooks', 'operations', 'operational', 'overview',
  'emergency', 'procedures', 'procedure', 'the', 'a', 'an', 'of', 'for', 'and']);

/** The title of a runbook: front matter `title`, else its first heading, else "". */
export function runbookTitle(doc: RunbookDocument): string {
  const title = doc.frontMatter?.data?.title;
  if (typeof title === 'string' && title.trim()) return title.trim();
  for (const cell of doc.cells) {
    if (cell.kind !== 'markdown') continue;
    const m = /^ {0,3}#{1,6}\s+(.+?)\s*#*\s*$/m.exec(cell.source);
    if (m) return m[1]!.replace(/[*_`]/g, '').trim();
  }
  return '';
}

/**
 * An id prefix from a title: its first significant word in capitals ("CVD incident response" → CVD,
 * "NovaCron v10 Extended" → NOVACRON), or the initials of a long name ("Arbitration Detection System" → ADS).
 */
export function incidentPrefix(title: string): string {
  const words = title.split(/[^A-Za-z0-9]+/).filter((w) => w && !FILLER.has(w.toLowerCase()));
  const first = words[0];
  if (!first) return 'INC';
  if (first.length <= 8) return first.toUpperCase();
  const initials = words.filter((w) => /^[A-Za-z]/.test(w)).map((w) => w[0]!.toUpperCase()).join('');
  return initials.length >= 2 ? initials.slice(0, 6) : first.slice(0, 8).toUpperCase();
}

/** `PREFIX-YYYYMMDD-HHMM` in UTC. */
export function incidentId(prefix: string, now: Date): string {
  const iso = now.toISOString();
  return `${prefix}-${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 16).replace(':', '')}`;
}

/** `cvd-incident-response`: lower case, ASCII letters and digits joined by single dashes. */
export function slugOf(text: string): string {
  const slug = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, 60).replace(/-+$/, '') || 'runbook';
}

/** Characters an id may carry into a file name. */
export function safeId(id: string): string {
  const safe = id.trim().replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  if (!safe) throw new Error(`"${id}" cannot be an incident id`);
  return safe;
}
