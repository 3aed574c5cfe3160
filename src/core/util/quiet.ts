// Whether the person has been quiet for a while: no typing, saving or running. Heavy background work that is
// not urgent (the language server's first sync of a big record: about a second of the extension host at
// 10 MB) waits for it, so it never lands on a save or a run (issue 17). Pure: the caller feeds the events.

export class Quiet {
  private last = -Infinity;
  private inFlight = 0;

  constructor(private readonly quietMs: number, private readonly now: () => number = Date.now) {}

  /** Something happened (an edit, a run's output, a save that ended). */
  touch(): void {
    this.last = this.now();
  }

  /** Something started that lasts (a save): not quiet until `end()`. */
  begin(): void {
    this.inFlight++;
    this.touch();
  }

  end(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.touch();
  }

  /** How long to wait until it has been quiet for `quietMs` (0: it has); `quietMs` while something lasts. */
  waitMs(): number {
    if (this.inFlight) return this.quietMs;
    return Math.max(0, this.last + this.quietMs - this.now());
  }
}
