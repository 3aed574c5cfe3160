// `runbook alert-url RUNBOOK [--workspace DIR]`: the runbook_url template for a Prometheus alerting rule.
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { parseRunbook } from '../core/format/index.js';
import { alertUrlTemplate } from '../core/incident/alertUrl.js';
import { parseArgs } from './args.js';
import { decodeUtf8, UsageError } from './roundtrip.js';

export const ALERT_URL_USAGE = `  alert-url RUNBOOK [--workspace DIR] [--severity LEVEL]
                      print the runbook_url for a Prometheus alerting rule: a vscode:// link that opens
                      RUNBOOK (path relative to DIR, default the current folder) as an incident with the
                      series' labels that fill its variables (and LEVEL as the severity)`;

export function alertUrlCommand(args: string[], out: (s: string) => void): number {
  const a = parseArgs(args, ['workspace', 'severity'], []);
  const file = a.positional[0];
  if (!file) throw new UsageError('alert-url needs a RUNBOOK');
  const root = resolve(a.values.workspace?.[0] ?? process.cwd());
  const rel = relative(root, resolve(file));
  if (rel.startsWith('..') || isAbsolute(rel)) throw new UsageError(`${file} is not inside the workspace ${root} (give --workspace DIR)`);
  const doc = parseRunbook(decodeUtf8(readFileSync(file)));
  out(alertUrlTemplate(rel, doc.frontMatter?.data, a.values.severity?.[0]));
  return 0;
}
