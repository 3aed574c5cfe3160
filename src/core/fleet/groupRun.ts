// A cell run on a group, after the CellRunner has checked trust, asked for variables and confirmed once
// for the whole group: every member in its own persistent session (the executor keeps one per target),
// `$RUNBOOK_TARGET` set to the member's name. The log gets one row per host (source digest, host
// digest, no output digest) and then the group's row, whose output digest covers what the record shows.
import type { FrontMatter } from '../format/frontMatter.js';
import type { Attributes } from '../format/model.js';
import { digestOf, type NewLogRow } from '../log/chain.js';
import { outputsDigest, sourceDigest } from '../log/recordDigests.js';
import type { CellRunOutcome, RunHooks } from '../run/cellRunner.js';
import { eventRow, runRow } from '../run/record.js';
import type { Executor, ResolvedTarget } from '../contract/types.js';
import { fanOut, type HostOutcome } from './fanOut.js';
import { fleetOutputs, statusTable, type HostRun } from './gather.js';
import type { Fleet, FleetGroup } from './groups.js';
import { fleetPlan } from './plan.js';

export interface GroupRunRequest {
  cell: { source: string; language: string; attributes: Attributes; cellName: string };
  group: FleetGroup;
  fleet: Fleet;
  executor: Executor;
  resolveTarget(name: string, fm: FrontMatter | undefined): ResolvedTarget;
  frontMatter: FrontMatter | undefined;
  variables: Record<string, string>;
  operator: string;
  redact: (s: string) => string;
  timeoutMs?: number;
  hooks: RunHooks;
  /** Rows already written for this run (the confirmation). */
  rows: NewLogRow[];
}

/** The target recorded for the group as a whole: its name and size. */
export function groupTarget(group: FleetGroup): ResolvedTarget {
  const label = `group ${group.name} (${group.members.length} host${group.members.length === 1 ? '' : 's'})`;
  return { name: group.name, kind: 'ssh', label, user: '', host: group.name, members: group.members };
}

export async function runGroup(q: GroupRunRequest): Promise<CellRunOutcome> {
  const { cell, group, operator } = q;
  const rows = [...q.rows];
  if (!group.members.length) {
    const message = `group ${group.name} has no hosts`;
    rows.push(eventRow('refuse', { cellName: cell.cellName, targetLabel: groupTarget(group).label, operator }, cell.source, message));
    return { status: 'refused', ok: false, exitCode: null, rows, message: `not run: ${message}` };
  }
  let plan;
  try {
    plan = fleetPlan(cell.attributes, group.members.length);
  } catch (e) {
    rows.push(eventRow('refuse', { cellName: cell.cellName, targetLabel: groupTarget(group).label, operator }, cell.source, (e as Error).message));
    return { status: 'refused', ok: false, exitCode: null, rows, message: `not run: ${(e as Error).message}` };
  }
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const fm = q.fleet.frontMatter();
  const runHost = async (name: string): Promise<HostOutcome<HostRun>> => {
    let target: ResolvedTarget;
    try {
      target = q.resolveTarget(name, fm);
    } catch (e) {
      return { name, status: 'failed', reason: `cannot resolve ${name}: ${(e as Error).message}` };
    }
    const result = await q.executor.run({
      source: cell.source, language: cell.language, attributes: cell.attributes, cellName: cell.cellName, target,
      frontMatter: q.frontMatter, variables: { ...q.variables, RUNBOOK_TARGET: name }, signal: q.hooks.signal, timeoutMs: q.timeoutMs,
    });
    if (result.message) result.message = q.redact(result.message);
    const ok = result.exitCode === 0 && !result.cancelled && !result.timedOut;
    const status = ok ? 'ok' : result.cancelled ? 'cancelled' : 'failed';
    const reason = result.message ?? (result.timedOut ? 'timed out' : result.exitCode !== null ? `exit ${result.exitCode}` : 'no exit status');
    return { name, status, result: { target, result }, ...(ok ? {} : { reason }) };
  };
  const done = await fanOut(group.members, plan, runHost, {
    ...(q.hooks.signal ? { signal: q.hooks.signal } : {}),
    onHost: (h) => q.hooks.onStdout?.(`${h.name}: ${h.status}${h.reason ? ` (${oneLine(h.reason)})` : ''}\n`),
  });
  const ms = Math.round(performance.now() - t0);
  const src = sourceDigest(cell.source);
  for (const h of done.hosts) {
    if (h.result) rows.push({ ...runRow(h.result.result, { cellName: cell.cellName, target: h.result.target, operator }, cell.source) });
    else rows.push({ ...eventRow(h.status === 'not run' ? 'skip' : 'error', { cellName: cell.cellName, targetLabel: h.name, operator }, cell.source, h.reason), src });
  }
  const failed = done.hosts.filter((h) => h.status !== 'ok');
  const exit = failed.length ? (failed.find((h) => h.result?.result.exitCode)?.result?.result.exitCode ?? null) : 0;
  const outputs = fleetOutputs(done.hosts, {
    cell: cell.cellName, target: group.name, hosts: group.members.length, started: startedAt, ms, exit,
  });
  const summary = summaryOf(done.hosts, done.stopped);
  rows.push({
    time: startedAt, operator, target: groupTarget(group).label, cell: cell.cellName, event: 'run', exit, ms,
    digest: digestOf(cell.source, statusTable(done.hosts)), src, out: outputsDigest(outputs), detail: summary,
  });
  const ok = !failed.length;
  return { status: 'ran', ok, exitCode: exit, outputs, rows, ...(ok ? {} : { message: summary }) };
}

function summaryOf(hosts: readonly HostOutcome<HostRun>[], stopped: string | undefined): string {
  const counts = new Map<string, number>();
  for (const h of hosts) counts.set(h.status, (counts.get(h.status) ?? 0) + 1);
  const parts = [...counts].map(([s, n]) => `${n} ${s}`);
  return `${hosts.length} hosts: ${parts.join(', ')}${stopped ? `; later batches not run: ${stopped}` : ''}`;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
