// What a run leaves in the record: outputs stamped with where/when/how it ran, and the log row.
import type { CellOutput, LogRow } from '../format/model.js';
import { digestOf, type NewLogRow } from '../log/chain.js';
import { outputsDigest, sourceDigest } from '../log/recordDigests.js';
import type { ExecutionResult, ResolvedTarget } from '../contract/types.js';

export interface RunContext {
  cellName: string;
  target: ResolvedTarget;
  operator: string;
}

/** Outputs with the common metadata first (cell, target, host, user, started, ms, exit), then their own. */
export function stampOutputs(result: ExecutionResult, ctx: RunContext): CellOutput[] {
  return result.outputs.map((o) => ({
    ...o,
    meta: {
      cell: ctx.cellName, target: ctx.target.name, host: ctx.target.label, user: ctx.target.user,
      started: result.startedAt, ms: Math.round(result.durationMs), exit: result.exitCode, ...o.meta,
    },
  }));
}

export function eventOf(result: ExecutionResult): string {
  if (result.timedOut) return 'timeout';
  if (result.cancelled) return 'cancel';
  if (result.exitCode === null) return 'error';
  return 'run';
}

/**
 * The row of a run. `source` and `outputs` (the cell's source and its stamped outputs as they go into the
 * record) give the row the digests `runbook verify` checks the record against.
 */
export function runRow(result: ExecutionResult, ctx: RunContext, source?: string, outputs?: readonly CellOutput[]): NewLogRow {
  const printed = result.outputs.map((o) => o.text).join('');
  const row: NewLogRow = {
    time: result.startedAt, operator: ctx.operator, target: ctx.target.label, cell: ctx.cellName, event: eventOf(result),
    exit: result.exitCode, ms: Math.round(result.durationMs), digest: digestOf(result.command, printed),
  };
  if (source !== undefined) row.src = sourceDigest(source);
  if (outputs) row.out = outputsDigest(outputs);
  if (result.message) row.detail = result.message;
  return row;
}

/** A row for something that happened without running: confirm, decline, refuse, skip, note. */
export function eventRow(event: string, ctx: { cellName: string; targetLabel: string; operator: string }, command: string,
  detail?: string): NewLogRow {
  const row: NewLogRow = {
    time: new Date().toISOString(), operator: ctx.operator, target: ctx.targetLabel, cell: ctx.cellName, event,
    exit: null, ms: null, digest: digestOf(command, detail ?? ''),
  };
  if (detail) row.detail = detail;
  return row;
}

export type { LogRow };
