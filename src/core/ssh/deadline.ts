// A connect timeout that stops counting while the user is being asked something (host key, passphrase):
// an on-call engineer reading a fingerprint must not see "timed out" for it.

export class Deadline {
  private timer: NodeJS.Timeout | undefined;
  private remaining: number;
  private startedAt = 0;
  private paused = 0;
  private done = false;

  constructor(
    ms: number,
    private readonly onExpire: () => void,
  ) {
    this.remaining = ms;
    this.arm();
  }

  /** Stops the clock (nested calls need as many resume calls). */
  pause(): void {
    if (this.done || this.paused++ > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.remaining -= Date.now() - this.startedAt;
  }

  resume(): void {
    if (this.done || --this.paused > 0) return;
    this.arm();
  }

  /** Runs `fn` with the clock stopped. */
  async without<T>(fn: () => Promise<T>): Promise<T> {
    this.pause();
    try {
      return await fn();
    } finally {
      this.resume();
    }
  }

  stop(): void {
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    this.startedAt = Date.now();
    this.timer = setTimeout(() => {
      this.done = true;
      this.onExpire();
    }, Math.max(0, this.remaining));
    this.timer.unref?.();
  }
}
