// Runs one step on every member of a group: rolling batches of `serial` hosts, at most `forks` at once,
// no new batch once `max_fail` is passed or the run is cancelled. Each host fails alone (unreachable,
// unknown, exit code); the caller decides what a host run is.
import { batchesOf, type FleetPlan } from './plan.js';

export type HostStatus = 'ok' | 'failed' | 'cancelled' | 'not run';

export interface HostOutcome<R> {
  name: string;
  status: HostStatus;
  /** What the host run gave back (absent for hosts that did not run). */
  result?: R;
  /** Why it failed or did not run. */
  reason?: string;
}

export interface FanOutResult<R> {
  hosts: HostOutcome<R>[];
  /** Why later batches did not start. */
  stopped?: string;
}

export async function fanOut<R>(
  members: readonly string[],
  plan: FleetPlan,
  runHost: (name: string) => Promise<HostOutcome<R>>,
  o: { signal?: AbortSignal; onHost?: (h: HostOutcome<R>) => void } = {},
): Promise<FanOutResult<R>> {
  const outcomes = new Map<string, HostOutcome<R>>();
  let failed = 0;
  let stopped: string | undefined;
  for (const batch of batchesOf(members, plan.batch)) {
    if (o.signal?.aborted) stopped = 'cancelled';
    if (stopped) {
      for (const name of batch) outcomes.set(name, { name, status: 'not run', reason: stopped });
      continue;
    }
    let next = 0;
    let batchFailed = 0;
    const worker = async () => {
      while (next < batch.length) {
        const name = batch[next++]!;
        const h: HostOutcome<R> = o.signal?.aborted
          ? { name, status: 'not run', reason: 'cancelled' }
          : await runHost(name).catch((e: Error) => ({ name, status: 'failed' as const, reason: e.message }));
        if (h.status === 'failed' || h.status === 'cancelled') batchFailed++;
        outcomes.set(name, h);
        o.onHost?.(h);
      }
    };
    await Promise.all(Array.from({ length: Math.min(plan.forks, batch.length) }, worker));
    failed += batchFailed;
    if (o.signal?.aborted) stopped = 'cancelled';
    else if (plan.maxFail !== undefined ? failed > plan.maxFail : batchFailed === batch.length && batch.length < members.length) {
      stopped = plan.maxFail !== undefined
        ? `${failed} host${failed === 1 ? '' : 's'} failed, more than max_fail allows (${plan.maxFail})`
        : `every host of a batch failed (${batchFailed})`;
    }
  }
  return { hosts: members.map((n) => outcomes.get(n)!), ...(stopped ? { stopped } : {}) };
}
