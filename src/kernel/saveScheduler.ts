// Saves of a record after runs and notes, coalesced per notebook: at most one save in flight and at most one
// waiting behind it (every request made meanwhile shares that one). Nothing awaits a save to end a cell or
// to run the next one; the run journal (src/notebook/journal.ts) covers the time until the save lands.
// Pure of `vscode` (the notebook is any object with a uri and isClosed) so unit tests drive it directly.

export interface SaveTarget {
  readonly uri: { toString(): string };
  readonly isClosed: boolean;
}

export interface SaveSchedulerOptions<N extends SaveTarget> {
  /** Writes the notebook (VS Code: `notebook.save()`); false when it did not. */
  save(nb: N): PromiseLike<boolean>;
  /**
   * Called right before `save`: the journal's last entry already in the notebook model. After a save that
   * succeeded, `saved(nb, mark)` drops the journal entries up to it.
   */
  mark?(nb: N): number | PromiseLike<number>;
  saved?(nb: N, mark: number): Promise<void>;
  /**
   * Seam for a guard that may veto a save (e.g. the file changed on disk since it was read): false skips
   * this save and keeps the journal. (The extension's `save` already goes through the disk guard,
   * src/notebook/diskGuard.ts, which returns false when it does not save.)
   */
  beforeSave?(nb: N): boolean | PromiseLike<boolean>;
  /** Waits this long before each save (tests use it to kill VS Code between a run and its save). */
  delayMs?: number;
  /**
   * True while the notebook has cells running or queued: the save waits on (asking again every `delayMs`),
   * so a Run All in a big record is not slowed by a save after each cell (each moves the whole notebook
   * between the window and the extension host); the journal holds the runs meanwhile.
   */
  busy?(nb: N): boolean;
  /** A save waits for a busy notebook at most this long (a long Run All is still saved now and then). */
  maxWaitMs?: number;
  onError?(nb: N, error: unknown): void;
}

interface State {
  current?: Promise<boolean>;
  /** The current save is still waiting (delay, busy notebook): it has not read the notebook yet. */
  currentWaits?: boolean;
  /** Someone waits for this save (seal, resolve): it does not wait for a busy notebook. */
  hurry?: boolean;
  next?: Promise<boolean>;
}

export class SaveScheduler<N extends SaveTarget> {
  private readonly states = new Map<string, State>();
  /** Per notebook: no save that nobody hurries reads it before this time (ms since the epoch); see `holdUntil`. */
  private readonly holds = new Map<string, number>();

  constructor(private readonly o: SaveSchedulerOptions<N>) {}

  /**
   * Asks for a save of `nb`; resolves when a save that started after this call has finished. `hurry` (a
   * command that waits for it): the save does not wait for the notebook's cells to finish.
   */
  request(nb: N, o: { hurry?: boolean } = {}): Promise<boolean> {
    const key = nb.uri.toString();
    let s = this.states.get(key);
    if (!s) this.states.set(key, (s = {}));
    const state = s;
    if (o.hurry) state.hurry = true;
    if (state.next) return state.next;
    if (!state.current) return this.start(nb, key, state);
    // A save that has not read the notebook yet will write what this request wants written.
    if (state.currentWaits) return state.current;
    const after = state.current;
    state.next = after.then(() => {
      state.next = undefined;
      return this.start(nb, key, state);
    });
    return state.next;
  }

  /**
   * No save that nobody hurries reads `nb` before `at` (ms since the epoch). A save reads the whole notebook
   * in the window: at 10 MB that keeps the window busy long enough to hold back a cell's ✓ if it lands there.
   */
  holdUntil(nb: N, at: number): void {
    const key = nb.uri.toString();
    this.holds.set(key, Math.max(at, this.holds.get(key) ?? 0));
  }

  /** How long a save of `nb` is still held back (0: not). */
  private heldMs(key: string): number {
    const ms = (this.holds.get(key) ?? 0) - Date.now();
    if (ms <= 0) this.holds.delete(key);
    return Math.max(0, ms);
  }

  /** Resolves when nothing is in flight or waiting for `nb`. */
  async idle(nb: N): Promise<void> {
    const s = this.states.get(nb.uri.toString());
    while (s?.next || s?.current) await (s.next ?? s.current);
  }

  private start(nb: N, key: string, state: State): Promise<boolean> {
    const p = this.saveOnce(nb, key, state).finally(() => {
      if (state.current === p) state.current = undefined;
      if (!state.current && !state.next) this.states.delete(key);
    });
    state.current = p;
    return p;
  }

  private async saveOnce(nb: N, key: string, state: State): Promise<boolean> {
    state.currentWaits = true;
    try {
      const since = Date.now();
      const maxWait = this.o.maxWaitMs ?? 30_000;
      do {
        if (this.o.delayMs) await new Promise((r) => setTimeout(r, this.o.delayMs));
        else if (!state.hurry && this.o.busy?.(nb)) await new Promise((r) => setTimeout(r, 50));
        const held = state.hurry ? 0 : this.heldMs(key);
        if (held) await new Promise((r) => setTimeout(r, held));
      } while (!nb.isClosed && !state.hurry && this.o.busy?.(nb) && Date.now() - since < maxWait);
      state.currentWaits = false;
      state.hurry = false;
      if (nb.isClosed) return false;
      if (this.o.beforeSave && !(await this.o.beforeSave(nb))) return false;
      const mark = (await this.o.mark?.(nb)) ?? 0;
      const ok = await this.o.save(nb);
      if (ok) await this.o.saved?.(nb, mark);
      return ok;
    } catch (e) {
      this.o.onError?.(nb, e);
      return false;
    }
  }
}
