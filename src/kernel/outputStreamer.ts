// Streams output into a running cell without flooding VS Code (vscode #122017, #107613): text is batched
// and appended about every 100 ms to one output per stream, and live display stops after a budget (the
// capped record replaces it when the cell ends).
// The cell's old outputs go with the run's first batch, or 100 ms after the start if nothing came: a command
// that ends sooner has them replaced once, by its own outputs. Each change of a cell's outputs is a change of
// its height, and in a big notebook VS Code lays out every output again for each (issue 17): clearing at the
// start and filling at the end made two. Outputs are made through `api` (VS Code's classes), so unit tests
// drive the streamer with plain ones.
import type * as vscode from 'vscode';

const FLUSH_MS = 100;
const LIVE_BUDGET = 1024 * 1024;

type Stream = 'stdout' | 'stderr';

/** What the streamer uses of an execution. */
export type StreamTarget = Pick<vscode.NotebookCellExecution, 'appendOutput' | 'appendOutputItems' | 'replaceOutput' | 'clearOutput'>;

/** The classes of `vscode` the streamer builds outputs with. */
export interface OutputApi {
  NotebookCellOutput: new (items: vscode.NotebookCellOutputItem[]) => vscode.NotebookCellOutput;
  NotebookCellOutputItem: { stdout(value: string): vscode.NotebookCellOutputItem; stderr(value: string): vscode.NotebookCellOutputItem };
}

export class OutputStreamer {
  private pending: Record<Stream, string> = { stdout: '', stderr: '' };
  private live: Partial<Record<Stream, vscode.NotebookCellOutput>> = {};
  private shown = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private chain: Thenable<void> = Promise.resolve();
  /** The cell still shows an earlier run's outputs, to go with the next flush (see clear). */
  private stale = false;
  /** Set by finish(): text arriving later (a pipe drained after the run returned) is never shown live, or it
   * would land after the run's own outputs replaced the live ones and be saved without its metadata. */
  private finished = false;

  constructor(private readonly execution: StreamTarget, private readonly api: OutputApi) {}

  readonly stdout = (text: string): void => this.push('stdout', text);
  readonly stderr = (text: string): void => this.push('stderr', text);

  private push(stream: Stream, text: string): void {
    if (this.finished || this.shown >= LIVE_BUDGET) return;
    const room = LIVE_BUDGET - this.shown;
    const part = text.length > room ? text.slice(0, room) : text;
    this.shown += part.length;
    this.pending[stream] += part;
    this.flushSoon();
  }

  private flushSoon(): void {
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    this.timer = undefined;
    const created: vscode.NotebookCellOutput[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      let text = this.pending[stream];
      if (!text) continue;
      this.pending[stream] = '';
      if (this.shown >= LIVE_BUDGET && stream === 'stdout') text += '\n… live output paused; the record keeps its head and tail when the cell ends …\n';
      const item = stream === 'stdout' ? this.api.NotebookCellOutputItem.stdout(text) : this.api.NotebookCellOutputItem.stderr(text);
      const output = this.live[stream];
      if (output) {
        this.send(() => this.execution.appendOutputItems(item, output));
      } else {
        const made = new this.api.NotebookCellOutput([item]);
        this.live[stream] = made;
        created.push(made);
      }
    }
    if (this.stale) {
      // The earlier run's outputs give way to this run's first ones in one change (or to none).
      this.stale = false;
      this.send(() => (created.length ? this.execution.replaceOutput(created) : this.execution.clearOutput()));
    } else {
      for (const made of created) this.send(() => this.execution.appendOutput(made));
    }
  }

  private send(edit: () => Thenable<void>): void {
    this.chain = this.chain.then(edit).then(undefined, () => undefined);
  }

  /** The run started: the cell's old outputs go with its first output, at the latest 100 ms from now. */
  clear(): void {
    if (this.finished) return;
    this.stale = true;
    this.flushSoon();
  }

  /**
   * Waits for the outputs sent; nothing more is shown after this. Outputs not yet sent (and old ones not yet
   * cleared) are left to the caller, who replaces the cell's outputs with the run's own.
   */
  async finish(): Promise<void> {
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.chain;
  }

  dispose(): void {
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
