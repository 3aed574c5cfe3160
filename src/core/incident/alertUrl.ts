// The `runbook_url` to put into a Prometheus alerting rule: a vscode:// link to this extension's URI
// handler naming the runbook (relative to the workspace) and carrying the alert's labels that fill the
// runbook's variables, as Prometheus templates (`{{ $labels.instance | urlquery }}`). In annotations
// `$labels` holds only the series' labels (not the rule's own `labels:`, nor alertname), so the severity is
// written literally when given.
import type { FrontMatter } from '../format/frontMatter.js';

/** `<publisher>.<name>` of package.json (a unit test keeps them equal). */
export const EXTENSION_ID = 'runbook-notebooks.runbook-notebooks';

/** The label a variable is filled from: its name in lower case (`INSTANCE` ← `instance`). */
export const labelOf = (variable: string): string => variable.toLowerCase();

const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function alertUrlTemplate(runbookPath: string, fm: FrontMatter | undefined, severity?: string): string {
  const path = runbookPath.split(/[\\/]+/).map(encodeURIComponent).join('%2F');
  const labels = new Set<string>();
  for (const [name, decl] of Object.entries(fm?.variables ?? {})) {
    if (!decl.secret && LABEL.test(labelOf(name))) labels.add(labelOf(name));
  }
  const params = [...labels].map((l) => `${l}={{ $labels.${l} | urlquery }}`);
  if (severity) params.unshift(`severity=${encodeURIComponent(severity)}`);
  return `vscode://${EXTENSION_ID}/incident?runbook=${path}${params.map((p) => `&${p}`).join('')}`;
}
