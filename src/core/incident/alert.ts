// An incident started from an Alertmanager alert: the webhook payload (version 4, as Alertmanager posts it
// to a `webhook_configs` receiver), the chosen alert's labels filling the runbook's declared variables
// (matched case-insensitively: `instance` → `INSTANCE`), its `severity` label picking the level, and what is
// kept in the record's `incident.alert` front matter and shown in the report.
import type { FrontMatter } from '../format/frontMatter.js';
import type { RunbookDocument } from '../format/model.js';
import type { FrontMatterEdit } from './frontMatterEdit.js';
import { severityLevels } from './start.js';

export interface AlertInfo {
  status: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  generatorURL?: string;
  fingerprint?: string;
  /** The group's receiver and how many alerts the payload held. */
  receiver?: string;
}

interface RawAlert {
  status?: unknown;
  labels?: unknown;
  annotations?: unknown;
  startsAt?: unknown;
  generatorURL?: unknown;
  fingerprint?: unknown;
}

const strings = (v: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
};

/**
 * The alert at `index` of a webhook payload (`{"version":"4","alerts":[...]}`), or a single alert object
 * (`{"labels":...}`, as in Alertmanager's API v2 answers).
 */
export function alertFromPayload(json: string, index = 0): AlertInfo {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new Error(`the alert is not JSON: ${(err as Error).message}`, { cause: err });
  }
  if (!value || typeof value !== 'object') throw new Error('the alert is not a JSON object');
  const payload = value as { version?: unknown; alerts?: unknown; receiver?: unknown };
  let raw: RawAlert;
  if (Array.isArray(payload.alerts)) {
    if (payload.version !== undefined && payload.version !== '4') {
      throw new Error(`unsupported Alertmanager webhook payload version ${JSON.stringify(payload.version)} (expected "4")`);
    }
    const alerts = payload.alerts as RawAlert[];
    if (!alerts.length) throw new Error('the webhook payload holds no alerts');
    if (!Number.isInteger(index) || index < 0 || index >= alerts.length) {
      throw new Error(`--alert-index ${index}: the payload holds ${alerts.length} alert(s) (0 to ${alerts.length - 1})`);
    }
    raw = alerts[index]!;
  } else if ('labels' in payload) {
    raw = payload as RawAlert;
  } else {
    throw new Error('not an Alertmanager alert: expected a webhook payload ({"version":"4","alerts":[...]}) or an alert with labels');
  }
  const labels = strings(raw.labels);
  if (!Object.keys(labels).length) throw new Error('the alert has no labels');
  const info: AlertInfo = {
    status: typeof raw.status === 'string' ? raw.status : 'firing',
    labels,
    annotations: strings(raw.annotations),
    startsAt: typeof raw.startsAt === 'string' ? raw.startsAt : '',
  };
  if (typeof raw.generatorURL === 'string' && raw.generatorURL) info.generatorURL = raw.generatorURL;
  if (typeof raw.fingerprint === 'string' && raw.fingerprint) info.fingerprint = raw.fingerprint;
  if (typeof payload.receiver === 'string' && payload.receiver) info.receiver = payload.receiver;
  return info;
}

/** The alert's `severity` label when it names one of the runbook's levels (case-insensitively). */
export function alertSeverity(alert: AlertInfo, levels: readonly string[]): string | undefined {
  const s = alert.labels.severity;
  if (!s) return undefined;
  return levels.find((l) => l.toLowerCase() === s.toLowerCase()) ?? (levels.length ? undefined : s);
}

/** Declared, non-secret variables whose name matches a label case-insensitively, with the label's value. */
export function alertVariables(alert: AlertInfo, fm: FrontMatter | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const byLower = new Map(Object.entries(alert.labels).map(([k, v]) => [k.toLowerCase(), v]));
  for (const [name, decl] of Object.entries(fm?.variables ?? {})) {
    if (decl.secret) continue; // a secret's value never goes into the file
    const value = byLower.get(name.toLowerCase());
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** Front matter edits: the variables' defaults and `incident.alert`. */
export function alertEdits(alert: AlertInfo, variables: Record<string, string>): { edits: FrontMatterEdit[]; incident: Record<string, unknown> } {
  const edits: FrontMatterEdit[] = Object.entries(variables).map(([name, value]) => ({ path: ['variables', name, 'default'], value }));
  const record: Record<string, unknown> = { status: alert.status, labels: alert.labels };
  if (Object.keys(alert.annotations).length) record.annotations = alert.annotations;
  if (alert.startsAt) record.startsAt = alert.startsAt;
  if (alert.generatorURL) record.generatorURL = alert.generatorURL;
  if (alert.fingerprint) record.fingerprint = alert.fingerprint;
  return { edits, incident: { alert: record } };
}

/** The report's line about the alert, when the incident started from one. */
export function alertReportLines(incident: Record<string, unknown> | undefined): string[] {
  const a = incident?.alert as { labels?: Record<string, string>; annotations?: Record<string, string>; startsAt?: string; generatorURL?: string; status?: string } | undefined;
  if (!a || typeof a !== 'object') return [];
  const labels = Object.entries(a.labels ?? {}).map(([k, v]) => `\`${k}=${v.replace(/`/g, "'")}\``).join(' ');
  const lines = [`- **Alert**: ${a.labels?.alertname ?? '(unnamed)'} (${a.status ?? 'firing'}${a.startsAt ? `, since ${a.startsAt}` : ''})${a.generatorURL ? ` · [source](${a.generatorURL})` : ''}`];
  if (labels) lines.push(`  - labels: ${labels}`);
  for (const [k, v] of Object.entries(a.annotations ?? {})) lines.push(`  - ${k}: ${v.replace(/\s+/g, ' ')}`);
  return lines;
}

export interface AlertStart {
  /** The level the alert's `severity` label names, if it names one of the runbook's. */
  severity?: string;
  /** The `severity` label as the alert gave it. */
  label?: string;
  /** Variable defaults the labels fill (declared name → value). */
  variables: Record<string, string>;
  /** Labels that fill no variable (shown, kept in `incident.alert`). */
  unused: string[];
  /** For startIncident: `extra` and `edits`. */
  incident: Record<string, unknown>;
  edits: FrontMatterEdit[];
  /** The alert's name (`alertname`), or "(unnamed)". */
  name: string;
}

/** What an alert gives a new incident of a runbook (the CLI's --alert and the VS Code link use this). */
export function alertStart(doc: RunbookDocument, alert: AlertInfo): AlertStart {
  const variables = alertVariables(alert, doc.frontMatter?.data);
  const { edits, incident } = alertEdits(alert, variables);
  const used = new Set(Object.keys(variables).map((v) => v.toLowerCase()));
  const unused = Object.keys(alert.labels).filter((l) => l !== 'severity' && l !== 'alertname' && !used.has(l.toLowerCase()));
  const out: AlertStart = { variables, unused, edits, incident, name: alert.labels.alertname ?? '(unnamed)' };
  const severity = alertSeverity(alert, severityLevels(doc));
  if (severity !== undefined) out.severity = severity;
  if (alert.labels.severity !== undefined) out.label = alert.labels.severity;
  return out;
}
