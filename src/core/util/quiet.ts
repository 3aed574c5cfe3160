// Whether the person has been quiet for a while: no typing, saving or running. Heavy background work that is
// not urgent (the language server's first sync of a big record: about a second of the extension host at
// 10 MB) waits for it, so it never lands on a save or a run (issue 17). Pure: the caller feeds the events.

export class Quiet {
  private last = -Infinity;
  /** When each thing that lasts (begun, not ended) stops counting, oldest first. */
  private lasting: number[] = [];

  /**
   * `lastsAtMostMs`: a thing that lasts stops counting after this long even if its end never comes (VS Code
   * sends no did-save for a save that failed or was cancelled).
   */
  constructor(
    private readonly quietMs: number,
    private readonly lastsAtMostMs = 20_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Something happened (an edit, a run's output, a save that ended). */
  touch(): void {
    this.last = this.now();
  }

  /** Something started that lasts (a save): not quiet until `end()`, or `lastsAtMostMs` at most. */
  begin(): void {
    this.touch();
    this.lasting.push(this.last + this.lastsAtMostMs);
  }

  end(): void {
    this.prune();
    this.lasting.shift();
    this.touch();
  }

  /** How long to wait until it has been quiet for `quietMs` (0: it has); `quietMs` while something lasts. */
  waitMs(): number {
    this.prune();
    if (this.lasting.length) return this.quietMs;
    return Math.max(0, this.last + this.quietMs - this.now());
  }

  private prune(): void {
    const now = this.now();
    this.lasting = this.lasting.filter((until) => until > now);
  }
}
