// A link from an alert (the `runbook_url` that `runbook alert-url` prints) as the VS Code URI handler gets
// it: `vscode://<publisher>.<name>/incident?runbook=<path in the workspace>&severity=<level>&<label>=<value>…`.
// The pure part: the link read into a plan (which runbook, which labels) with everything an attacker could
// put into a link refused, and the runbook found inside a workspace folder (real paths: a symlink that leads
// out is refused too). What the labels do to the runbook is the same as for an Alertmanager payload
// (alert.ts): they fill declared variables case-insensitively and `severity` picks the level.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { AlertInfo, AlertStart } from './alert.js';

/** The URI handler's path (`vscode://<id>/incident`). */
export const INCIDENT_LINK_PATH = '/incident';

export interface IncidentLinkPlan {
  /** The runbook, relative to a workspace folder, `/`-separated, without `.` or empty segments. */
  runbook: string;
  /** Every other parameter with a value: the alert's labels (`severity` included when given). */
  labels: Record<string, string>;
}

export class IncidentLinkError extends Error {}

const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const MAX_PARAMS = 64;
const MAX_VALUE = 1024;
// Control characters (newlines, escape sequences, NUL) never belong in a label or a path.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * Reads a link's path and query as a URI handler gets them. The query is read as a form-encoded query
 * (URLSearchParams: `%XX` decoded, `+` a space, as Prometheus's `urlquery` writes it): desktop VS Code hands it
 * over percent-decoded once, code-server (through its /callback route) still encoded; both read the same.
 * Everything is checked after decoding. Throws IncidentLinkError with a message for the person.
 */
export function parseIncidentLink(path: string, query: string): IncidentLinkPlan {
  if (path.replace(/\/+$/, '') !== INCIDENT_LINK_PATH) {
    throw new IncidentLinkError(`unknown link "${printable(path)}": runbook links look like …/incident?runbook=PATH&label=value`);
  }
  const pairs = [...new URLSearchParams(query)];
  if (pairs.length > MAX_PARAMS) throw new IncidentLinkError(`the link has ${pairs.length} parameters (at most ${MAX_PARAMS})`);
  let runbook: string | undefined;
  const labels: Record<string, string> = {};
  for (const [key, value] of pairs) {
    if (value.length > MAX_VALUE) throw new IncidentLinkError(`the link's "${key.slice(0, 40)}" is longer than ${MAX_VALUE} characters`);
    if (CONTROL.test(value) || CONTROL.test(key)) throw new IncidentLinkError(`the link's "${printable(key)}" holds control characters`);
    if (key === 'runbook') {
      if (runbook !== undefined) throw new IncidentLinkError('the link names the runbook twice');
      runbook = value;
      continue;
    }
    if (!LABEL.test(key)) throw new IncidentLinkError(`"${printable(key)}" is not a label name (letters, digits and _)`);
    if (key.startsWith('__')) throw new IncidentLinkError(`"${key}": labels starting with __ are Prometheus's own, not alert labels`);
    if (Object.hasOwn(labels, key)) throw new IncidentLinkError(`the link gives label "${key}" twice`);
    // An empty value is a label the alert did not have (`{{ $labels.job }}` of a series without it).
    if (value !== '') labels[key] = value;
  }
  if (!runbook) throw new IncidentLinkError('the link names no runbook (runbook=PATH, relative to the workspace)');
  return { runbook: workspacePath(runbook), labels };
}

/** A relative path inside the workspace, or an error: absolute, `..`, `~`, backslashes, not a runbook. */
function workspacePath(p: string): string {
  if (p.startsWith('/') || p.startsWith('~') || /^[a-zA-Z]:/.test(p) || isAbsolute(p)) {
    throw new IncidentLinkError(`the link names "${printable(p)}", an absolute path: links open only runbooks inside the workspace, named relative to it`);
  }
  if (p.includes('\\')) throw new IncidentLinkError(`the link's runbook path "${printable(p)}" holds a backslash: use / between folders`);
  const parts = p.split('/').filter((s) => s !== '' && s !== '.');
  if (parts.includes('..')) throw new IncidentLinkError(`the link names "${printable(p)}", which climbs out with "..": links open only runbooks inside the workspace`);
  const rel = parts.join('/');
  if (!rel.endsWith('.runbook.md') || rel.split('/').pop() === '.runbook.md') {
    throw new IncidentLinkError(`the link names "${printable(p)}", which is not a runbook (*.runbook.md)`);
  }
  return rel;
}

const printable = (s: string): string => JSON.stringify(s.length > 80 ? `${s.slice(0, 79)}…` : s).slice(1, -1);

/**
 * The runbook file of a plan in the first workspace folder that has it, checked by real path: the file and
 * every folder on the way resolve inside that folder (a symlink leading out is refused).
 */
export function findRunbookInWorkspace(folders: readonly string[], runbook: string): string {
  if (!folders.length) throw new IncidentLinkError('runbook links open runbooks of a workspace: open the folder that holds the runbooks first');
  for (const folder of folders) {
    const file = join(folder, ...runbook.split('/'));
    if (!existsSync(file)) continue;
    const root = realpathSync(folder);
    const real = realpathSync(file);
    const inside = relative(root, real);
    if (!inside || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
      throw new IncidentLinkError(`"${runbook}" resolves to ${real}, outside the workspace folder ${root} (a symlink): links open only runbooks inside the workspace`);
    }
    if (!statSync(real).isFile()) throw new IncidentLinkError(`"${runbook}" is not a file`);
    return file;
  }
  throw new IncidentLinkError(`no runbook "${runbook}" in the workspace (${folders.join(', ')})`);
}

/** The alert a link stands for: its labels, firing (a link carries no annotations or start time). */
export function alertOfLink(plan: IncidentLinkPlan): AlertInfo {
  return { status: 'firing', labels: plan.labels, annotations: {}, startsAt: '' };
}

/** What the confirmation shows: the severity, each variable and the label that fills it, the other labels. */
export function confirmDetailText(plan: IncidentLinkPlan, start: AlertStart, levels: readonly string[]): string {
  const lines: string[] = [];
  lines.push(start.severity ? `Severity: ${start.severity} (label severity)`
    : start.label ? `Severity: "${start.label}" is none of ${levels.join(', ')}; you will be asked` : 'Severity: you will be asked');
  const filled = Object.entries(start.variables);
  if (filled.length) {
    lines.push('Variables filled from the alert\'s labels:');
    for (const [name, value] of filled) {
      const label = Object.keys(plan.labels).find((l) => l.toLowerCase() === name.toLowerCase()) ?? name;
      lines.push(`  ${name} ← ${label} = ${value}`);
    }
  } else lines.push('No variable of the runbook is filled by the link\'s labels.');
  if (start.unused.length) lines.push(`Kept in the record only: ${start.unused.map((l) => `${l}=${plan.labels[l]}`).join(', ')}`);
  lines.push('', 'A new incident record is written and opened. Nothing runs: you run each step yourself.');
  return lines.join('\n');
}
