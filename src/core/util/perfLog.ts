// Timing lines for `npm run bench:vscode` (issue 17): when RUNBOOK_PERF_LOG names a file, the extension and
// the language server append "<time> <label> <ms> <detail>" lines to it, so the bench can say where the open
// and save time went. Off (one env lookup) otherwise.
import { appendFileSync } from 'node:fs';

const file = process.env.RUNBOOK_PERF_LOG;

export function perfLog(label: string, ms: number, detail = ''): void {
  if (!file) return;
  try {
    appendFileSync(file, `${Date.now()} ${label} ${ms.toFixed(1)} ${detail}\n`);
  } catch {
    /* the bench's file is gone: never disturb the extension */
  }
}

/** Times `fn` under `label` when perf logging is on. */
export function timed<T>(label: string, fn: () => T, detail?: () => string): T {
  if (!file) return fn();
  const t = performance.now();
  const result = fn();
  perfLog(label, performance.now() - t, detail?.() ?? '');
  return result;
}
