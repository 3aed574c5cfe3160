// Cancel and timeout of one cell run as a single AbortSignal that remembers why it fired. Executors that do
// not run in a shell session (SQL, HTTP) stop their work on `signal` and report `reason`.
import { cellTimeoutMs } from './timeout.js';
import type { ExecutionRequest } from './types.js';

export type StopReason = 'cancel' | 'timeout';

export class CellStop {
  private readonly controller = new AbortController();
  private first: StopReason | undefined;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly onCancel = (): void => this.stop('cancel');
  /** The cell's timeout in ms (the request's, else its `timeout=` attribute), if any. */
  readonly timeoutMs: number | undefined;

  constructor(private readonly request: Pick<ExecutionRequest, 'signal' | 'timeoutMs' | 'attributes'>) {
    if (request.signal?.aborted) this.stop('cancel');
    request.signal?.addEventListener('abort', this.onCancel, { once: true });
    this.timeoutMs = request.timeoutMs ?? cellTimeoutMs(request.attributes);
    this.timer = this.timeoutMs ? setTimeout(() => this.stop('timeout'), this.timeoutMs) : undefined;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Why the cell was stopped (the first reason wins); undefined while it runs. */
  get reason(): StopReason | undefined {
    return this.first;
  }

  /** Stops the cell (also used by an executor's dispose()). */
  stop(reason: StopReason): void {
    this.first ??= reason;
    this.controller.abort();
  }

  /** Detaches from the request's signal and clears the timer. */
  dispose(): void {
    clearTimeout(this.timer);
    this.request.signal?.removeEventListener('abort', this.onCancel);
  }
}
