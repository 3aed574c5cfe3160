// The stop signals of an executor's running cells (SQL, HTTP, PromQL): one CellStop per run, all stopped
// ('cancel') when the executor is disposed, each released (timer cleared, request signal detached) when its
// run ends.
import { CellStop } from './cellStop.js';
import type { ExecutionRequest } from './types.js';

export class CellStops {
  private readonly running = new Set<CellStop>();

  /** A CellStop for a run that starts now; dispose() stops it until release(). */
  start(request: Pick<ExecutionRequest, 'signal' | 'timeoutMs' | 'attributes'>): CellStop {
    const stop = new CellStop(request);
    this.running.add(stop);
    return stop;
  }

  /** The run ended: its stop no longer fires (no timer, no listener on the request's signal). */
  release(stop: CellStop): void {
    stop.dispose();
    this.running.delete(stop);
  }

  /** How many runs are in progress. */
  get size(): number {
    return this.running.size;
  }

  /** Stops every running cell as cancelled. */
  dispose(): void {
    for (const stop of this.running) stop.stop('cancel');
    this.running.clear();
  }
}
