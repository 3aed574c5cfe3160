// SIGINT, SIGTERM and SIGHUP during `runbook run`: the first one stops the running cell (its whole tree, as
// a cancel does) and lets the run write its record and end; a second one writes what is there right away
// and exits. Output to a terminal that went away (SIGHUP) must not crash the run before the record is safe.

const NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

export class RunSignals {
  private readonly abort = new AbortController();
  readonly signal = this.abort.signal;
  /** The first signal received, if any. */
  received: NodeJS.Signals | undefined;
  private readonly handlers = new Map<NodeJS.Signals, () => void>();
  private readonly ignoreStreamError = () => undefined;

  constructor(private readonly onSecond: (signal: NodeJS.Signals) => void) {
    for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      const handler = () => this.on(name);
      this.handlers.set(name, handler);
      process.on(name, handler);
    }
    process.stdout.on('error', this.ignoreStreamError);
    process.stderr.on('error', this.ignoreStreamError);
  }

  /** The exit status of a run ended by a signal: 128 + its number, as a shell reports it. */
  get exitCode(): number | undefined {
    return this.received ? 128 + (NUMBERS[this.received] ?? 0) : undefined;
  }

  dispose(): void {
    for (const [name, handler] of this.handlers) process.off(name, handler);
    this.handlers.clear();
    process.stdout.off('error', this.ignoreStreamError);
    process.stderr.off('error', this.ignoreStreamError);
  }

  private on(name: NodeJS.Signals): void {
    if (this.received) {
      this.onSecond(name);
      return;
    }
    this.received = name;
    this.abort.abort();
  }
}
