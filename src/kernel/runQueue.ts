// The order cells of one notebook run in, and when a run stops, decided in one place (no `vscode` here, so
// unit tests drive it with real bash cells). Each request (one cell, a selection, Run All) is a batch; batches
// run one after another and the cells of a batch in order, one at a time. A cell is queued from the moment it
// is submitted: the controller has created its execution then, so VS Code shows it pending and its stop
// button cancels it. Cancelling a queued cell takes it out of the queue: it never runs, and it is told so
// at once (`settle(item, 'cancelled')`). In a batch of several cells, a cell that fails stops the rest when
// `stopOnError` is on; a cell that did not run to a known end (not run, cancelled, timed out, no exit code)
// stops them always, because the next step assumed this one happened (see docs/DESIGN-NOTES.md).
import type { CellRunOutcome } from '../core/run/cellRunner.js';
import { stopsRunAll } from '../core/run/stopsRunAll.js';

export interface QueueItem {
  /** Aborts when the operator cancels this cell (VS Code: its execution's token), queued or running. */
  readonly signal: AbortSignal;
}

/** Why a queued cell will never run. */
export type NotRun = 'cancelled' | 'skipped';

export interface RunQueueHooks<I extends QueueItem> {
  /** Runs one cell (its turn has come); undefined when the run itself failed (an error of ours, not the cell's). */
  run(item: I): Promise<CellRunOutcome | undefined>;
  /**
   * The cell will never run: 'cancelled' while queued (say so on the cell), or 'skipped' because its batch
   * stopped, was not wanted ("where does this run belong?" was dismissed) or its notebook closed.
   */
  settle(item: I, why: NotRun): void;
  stopOnError(): boolean;
  /** Whether the cell went away while it waited (deleted from the notebook): it is skipped, not run. */
  gone?(item: I): boolean;
}

/** What became of a batch's cells. */
export interface BatchReport<I> {
  ran: { item: I; outcome: CellRunOutcome | undefined }[];
  cancelled: I[];
  skipped: I[];
  /** The cell whose end stopped the batch. */
  stoppedAt?: I;
}

type State = 'queued' | 'running' | 'done' | 'cancelled' | 'skipped';

class Entry<I extends QueueItem> {
  state: State = 'queued';
  private readonly onAbort = () => this.cancelled();

  constructor(readonly item: I, readonly report: BatchReport<I>, private readonly onCancel: (e: Entry<I>) => void) {
    item.signal.addEventListener('abort', this.onAbort, { once: true });
  }

  private cancelled(): void {
    if (this.state === 'queued') this.onCancel(this);
  }

  /** Leaves the queue (to run, or never); a cancel from now on is the running cell's own business. */
  leave(state: State): void {
    this.state = state;
    this.item.signal.removeEventListener('abort', this.onAbort);
  }
}

export class RunQueue<I extends QueueItem> {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly waiting = new Set<Entry<I>>();
  private running = 0;
  private closed = false;

  constructor(private readonly hooks: RunQueueHooks<I>) {}

  /**
   * Queues `items` (cancellable from now on) to run after everything submitted before. `ready` is asked at
   * once, while earlier cells may still run (e.g. "where does this run belong?"); false skips the whole batch.
   */
  submit(items: readonly I[], ready: () => Promise<boolean> = async () => true): Promise<BatchReport<I>> {
    const report: BatchReport<I> = { ran: [], cancelled: [], skipped: [] };
    const entries = items.map((item) => new Entry(item, report, (e) => this.leave(e, 'cancelled')));
    entries.forEach((e) => this.waiting.add(e));
    // An item whose signal aborted before it was queued is cancelled at once.
    entries.filter((e) => e.item.signal.aborted).forEach((e) => this.leave(e, 'cancelled'));
    const wanted = ready().catch(() => false).then((ok) => {
      if (!ok) entries.forEach((e) => this.leave(e, 'skipped'));
      return ok;
    });
    const done = this.tail.then(() => wanted).then(async (ok) => {
      if (ok) await this.runBatch(entries, report);
      return report;
    });
    this.tail = done.catch(() => undefined);
    return done;
  }

  /** How many cells wait for their turn (not the running one). */
  get queued(): number {
    return this.waiting.size;
  }

  /** A cell is running or waiting for its turn. */
  get busy(): boolean {
    return this.running > 0 || this.waiting.size > 0;
  }

  /** The notebook is gone: nothing queued will run. */
  dispose(): void {
    this.closed = true;
    [...this.waiting].forEach((e) => this.leave(e, 'skipped'));
  }

  private async runBatch(entries: Entry<I>[], report: BatchReport<I>): Promise<void> {
    const many = entries.length > 1;
    for (const e of entries) {
      if (e.state !== 'queued') continue;
      if (report.stoppedAt !== undefined || this.closed || this.hooks.gone?.(e.item)) {
        this.leave(e, 'skipped');
        continue;
      }
      this.waiting.delete(e);
      e.leave('running');
      let outcome: CellRunOutcome | undefined;
      this.running++;
      try {
        outcome = await this.hooks.run(e.item);
      } catch {
        outcome = undefined;
      } finally {
        this.running--;
      }
      e.state = 'done';
      report.ran.push({ item: e.item, outcome });
      if (many && stopsRunAll(outcome, this.hooks.stopOnError())) report.stoppedAt = e.item;
    }
  }

  /** Takes a queued entry out of the queue for good and tells the controller. */
  private leave(e: Entry<I>, why: NotRun): void {
    if (e.state !== 'queued') return;
    this.waiting.delete(e);
    e.leave(why);
    e.report[why].push(e.item);
    try {
      this.hooks.settle(e.item, why);
    } catch {
      // Ending a closed notebook's execution may throw; the cell is out of the queue either way.
    }
  }
}
