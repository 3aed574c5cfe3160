// Where the remote host's boot lies on the local clock, to turn remote process start times (/proc ticks
// since boot) into local epoch ms comparable with a cell's start and end. Each observation says: the
// remote uptime U was read at some local moment between t0 and t1, so boot ∈ [t0 − U, t1 − U]. The
// tightest interval seen is kept; an observation that contradicts it (clock jump, drift) replaces it.

/** /proc/uptime has two decimals: a reading may be up to 10 ms short. */
const UPTIME_RESOLUTION_MS = 10;

export class RemoteClock {
  private lo = -Infinity;
  private hi = Infinity;

  observe(uptimeMs: number, t0: number, t1: number): void {
    if (!Number.isFinite(uptimeMs)) return;
    const lo = t0 - uptimeMs - UPTIME_RESOLUTION_MS;
    const hi = t1 - uptimeMs;
    if (lo > this.hi || hi < this.lo) {
      this.lo = lo; // contradiction: the clocks moved, start again from this observation
      this.hi = hi;
    } else {
      this.lo = Math.max(this.lo, lo);
      this.hi = Math.min(this.hi, hi);
    }
  }

  get known(): boolean {
    return Number.isFinite(this.lo) && Number.isFinite(this.hi);
  }

  /** Local epoch ms of the remote boot (middle of the interval). */
  get bootMs(): number {
    return (this.lo + this.hi) / 2;
  }

  /** Half the interval: how far bootMs may be off. */
  get errorMs(): number {
    return (this.hi - this.lo) / 2;
  }
}
