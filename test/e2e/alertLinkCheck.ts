// Issue 15 in code-server: the runbook an alert link opens as an incident (its bash cell would leave a marker
// file if anything ran it; its promql cell charts a loopback Prometheus), and what the driver checks of the
// confirmation the person answered in the browser.
import type { UiWatcherStats } from './uiWatcher.js';

export const ALERT_LINK_LABELS = { severity: 'critical', instance: 'db1.example:9100', mountpoint: '/var/lib' };

export function alertLinkRunbook(marker: string, prometheusUrl: string | undefined): string {
  return [
    '---',
    'title: Disk almost full (alert link check)',
    'connections:',
    `  prom: { driver: prometheus, url: ${JSON.stringify(prometheusUrl ?? 'http://127.0.0.1:9')} }`,
    'variables:',
    '  INSTANCE: { prompt: "node_exporter target" }',
    '  MOUNTPOINT: { default: / }',
    'severity: { critical: 15m, warning: 1h }',
    '---',
    '',
    '# Disk almost full',
    '',
    'Nothing may run when the link opens this runbook:',
    '',
    '```bash {name=would-leave-marker}',
    `echo "$INSTANCE" > ${JSON.stringify(marker)}`,
    '```',
    '',
    'The metrics looked at, with a chart:',
    '',
    '```promql {name=up-chart db=prom range=2m step=5s}',
    'up{job="prometheus"}',
    '```',
    '',
  ].join('\n');
}

/** Undefined when the confirmation was seen once and showed which labels fill which variables. */
export function alertLinkDialogProblem(ui: UiWatcherStats, runbook: string): string | undefined {
  const seen = ui.alertLinks;
  if (seen.length !== 1) return `expected one "Start an incident from …?" dialog, saw ${JSON.stringify(seen)}`;
  const { message, detail } = seen[0]!;
  if (message !== `Start an incident from ${runbook}?`) return `message: ${message}`;
  for (const want of ['Severity: critical (label severity)', 'INSTANCE ← instance = db1.example:9100', 'MOUNTPOINT ← mountpoint = /var/lib', 'Nothing runs']) {
    if (!detail.includes(want)) return `the dialog's detail lacks ${JSON.stringify(want)}: ${JSON.stringify(detail)}`;
  }
  return undefined;
}
