// Whether a document is a runbook, an incident record or a drill record: read from the parsed front matter
// (`incident:`, `incident.drill: true`), never from a pattern over its text. The run guard, the kernel's
// drill check, the incident and drill commands and the context view ask here.
import type { FrontMatter } from '../format/frontMatter.js';

export type RecordKind = 'runbook' | 'incident' | 'drill';

export function recordKind(fm: FrontMatter | undefined): RecordKind {
  const incident = fm?.incident;
  if (!incident) return 'runbook';
  return incident.drill === true ? 'drill' : 'incident';
}

/** An incident or drill record (a drill record is an incident record marked `drill: true`). */
export function isRecord(fm: FrontMatter | undefined): boolean {
  return recordKind(fm) !== 'runbook';
}

export function isDrillRecord(fm: FrontMatter | undefined): boolean {
  return recordKind(fm) === 'drill';
}
