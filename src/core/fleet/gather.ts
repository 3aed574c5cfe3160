// The record of a group run, readable on GitHub: one status table (host, result, exit, duration, reason),
// then each distinct output once under the folded list of hosts that printed it, as ClusterShell's
// `clubak -b` shows it. Hosts that printed something else get their own block.
import type { CellOutput, OutputMeta } from '../format/model.js';
import type { ExecutionResult, ResolvedTarget } from '../contract/types.js';
import type { HostOutcome } from './fanOut.js';
import { foldHosts } from './hostRange.js';

export interface HostRun {
  target: ResolvedTarget;
  result: ExecutionResult;
}

/** The status table as text (columns padded). */
export function statusTable(hosts: readonly HostOutcome<HostRun>[]): string {
  const rows = [['host', 'result', 'exit', 'ms', 'reason']];
  for (const h of hosts) {
    const r = h.result?.result;
    rows.push([
      h.name, h.status, r?.exitCode === null || r === undefined ? '-' : String(r.exitCode),
      r ? String(Math.round(r.durationMs)) : '-', oneLine(h.status === 'ok' ? '' : h.reason ?? ''),
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}

/** Outputs of the hosts that ran, identical ones once: [hosts label, outputs]. */
export function gatherOutputs(hosts: readonly HostOutcome<HostRun>[]): { names: string[]; outputs: CellOutput[] }[] {
  const groups = new Map<string, { names: string[]; outputs: CellOutput[] }>();
  for (const h of hosts) {
    if (!h.result) continue;
    const outputs = h.result.result.outputs.filter((o) => o.text !== '');
    if (!outputs.length) continue;
    const key = JSON.stringify(outputs.map((o) => [o.meta.stream, o.meta.kind, o.lang, o.text]));
    const g = groups.get(key);
    if (g) g.names.push(h.name);
    else groups.set(key, { names: [h.name], outputs });
  }
  return [...groups.values()];
}

/** Everything the record shows for a group run, `common` metadata first in each block. */
export function fleetOutputs(hosts: readonly HostOutcome<HostRun>[], common: OutputMeta): CellOutput[] {
  const out: CellOutput[] = [{ meta: { ...common, kind: 'fleet-status' }, text: statusTable(hosts) }];
  for (const g of gatherOutputs(hosts)) {
    const label = foldHosts(g.names);
    g.outputs.forEach((o) => {
      const head = banner(`${label} (${g.names.length})${o.meta.stream === 'stderr' ? ' stderr' : ''}`);
      out.push({ ...o, meta: { ...common, ...o.meta, on: label, count: g.names.length }, text: head + o.text });
    });
  }
  return out;
}

function banner(title: string): string {
  const rule = '-'.repeat(Math.max(15, title.length));
  return `${rule}\n${title}\n${rule}\n`;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
