// The journal file of one record: entries are appended with a synchronous write (in the OS's page cache at
// once, so a killed VS Code loses nothing; an fdatasync follows in the background for a crash of the whole
// machine) and dropped once a save of the record covers them. Appends and compaction are synchronous, so a
// compaction can never lose an entry appended while it runs; they are small (a save empties the journal).
import { appendFileSync, closeSync, existsSync, fdatasyncSync, mkdirSync, openSync, promises as fs, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { decodeJournal, encodeEntry, journalPathOf, type JournalEntry } from './journal.js';

export class JournalFile {
  readonly file: string;
  private nextSeq = 1;
  /** Entries appended whose edits are not yet in the notebook model. */
  private readonly pending = new Set<number>();
  private syncing: Promise<void> | undefined;
  private syncAgain = false;
  /** False until the entries found at open were merged: until then no save may drop them. */
  private merged = false;

  constructor(recordPath: string) {
    this.file = journalPathOf(recordPath);
  }

  /** Entries left by an earlier session (a crash before their save). */
  read(): JournalEntry[] {
    const entries = decodeJournal(existsSync(this.file) ? readFileSync(this.file, 'utf8') : '');
    for (const e of entries) this.nextSeq = Math.max(this.nextSeq, e.seq + 1);
    return entries;
  }

  /** The entries read are in the notebook model now: a save covers them. */
  markMerged(): void {
    this.merged = true;
  }

  /**
   * Appends an entry (written before this returns); returns its seq. Call `applied(seq)` once its edits are
   * in the model. `durable()` resolves when it is also fsynced.
   */
  append(entry: Omit<JournalEntry, 'seq'>): number {
    const seq = this.nextSeq++;
    this.pending.add(seq);
    mkdirSync(path.dirname(this.file), { recursive: true });
    appendFileSync(this.file, encodeEntry({ seq, ...entry }));
    void this.durable();
    return seq;
  }

  /** Flushes the journal to the disk (one fdatasync at a time; requests meanwhile share the next). */
  durable(): Promise<void> {
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      do {
        this.syncAgain = false;
        const handle = await fs.open(this.file, 'r').catch(() => undefined);
        if (!handle) break;
        try {
          await handle.datasync();
        } catch {
          /* the journal was removed meanwhile */
        } finally {
          await handle.close();
        }
      } while (this.syncAgain);
    })().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  applied(seq: number): void {
    this.pending.delete(seq);
  }

  /** The highest seq such that it and every entry before it are in the notebook model. */
  mark(): number {
    return this.pending.size ? Math.min(...this.pending) - 1 : this.nextSeq - 1;
  }

  /** After a save that held every entry up to `mark`: drops them (the file goes when none is left). */
  compact(mark: number): void {
    if (!existsSync(this.file)) return;
    const rest = decodeJournal(readFileSync(this.file, 'utf8')).filter((e) => e.seq > mark || !this.merged);
    if (!rest.length) {
      rmSync(this.file, { force: true });
      return;
    }
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, rest.map(encodeEntry).join(''));
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
  }
}
