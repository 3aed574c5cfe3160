// Streams output into a running cell without flooding VS Code (vscode #122017, #107613): text is batched
// and appended about every 100 ms to one output per stream, and live display stops after a budget (the
// capped record replaces it when the cell ends).
import * as vscode from 'vscode';

const FLUSH_MS = 100;
const LIVE_BUDGET = 1024 * 1024;

type Stream = 'stdout' | 'stderr';

export class OutputStreamer implements vscode.Disposable {
  private pending: Record<Stream, string> = { stdout: '', stderr: '' };
  private live: Partial<Record<Stream, vscode.NotebookCellOutput>> = {};
  private shown = 0;
  private timer: NodeJS.Timeout | undefined;
  private chain: Thenable<void> = Promise.resolve();
  /** Set by finish(): text arriving later (a pipe drained after the run returned) is never shown live, or it
   * would land after the run's own outputs replaced the live ones and be saved without its metadata. */
  private finished = false;

  constructor(private readonly execution: vscode.NotebookCellExecution) {}

  readonly stdout = (text: string): void => this.push('stdout', text);
  readonly stderr = (text: string): void => this.push('stderr', text);

  private push(stream: Stream, text: string): void {
    if (this.finished || this.shown >= LIVE_BUDGET) return;
    const room = LIVE_BUDGET - this.shown;
    const part = text.length > room ? text.slice(0, room) : text;
    this.shown += part.length;
    this.pending[stream] += part;
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    this.timer = undefined;
    for (const stream of ['stdout', 'stderr'] as const) {
      let text = this.pending[stream];
      if (!text) continue;
      this.pending[stream] = '';
      if (this.shown >= LIVE_BUDGET && stream === 'stdout') text += '\n… live output paused; the record keeps its head and tail when the cell ends …\n';
      const item = stream === 'stdout' ? vscode.NotebookCellOutputItem.stdout(text) : vscode.NotebookCellOutputItem.stderr(text);
      const output = this.live[stream];
      if (output) {
        this.chain = this.chain.then(() => this.execution.appendOutputItems(item, output)).then(undefined, () => undefined);
      } else {
        const created = new vscode.NotebookCellOutput([item]);
        this.live[stream] = created;
        this.chain = this.chain.then(() => this.execution.appendOutput(created)).then(undefined, () => undefined);
      }
    }
  }

  /** Clears the cell's old outputs before anything new is shown. */
  clear(): void {
    this.chain = this.chain.then(() => this.execution.clearOutput()).then(undefined, () => undefined);
  }

  /** Waits for queued appends; nothing more is shown after this. */
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
