// The journal file beside a record (issue 17 point 1): `durable()` resolves only after an fdatasync that
// began after every entry appended before the call (requests meanwhile share one more fdatasync, never run
// two at once); a save drops exactly the entries the notebook model held; the file is removed when none is
// left and kept otherwise. The fdatasyncs are observed (not replaced) by wrapping the file handles the
// journal opens: each records the journal's size when it began, which is what that fdatasync can cover.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, promises as fsp, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { decodeJournal } from '../../src/core/log/journal.js';
import { JournalFile } from '../../src/core/log/journalFile.js';

const realOpen = fsp.open;
/** Journal size when each fdatasync began, in order. */
let synced: number[] = [];
let inFlight = 0;
let maxInFlight = 0;
let opened = 0;
let closed = 0;
/** Runs once, inside the next fdatasync, before it reaches the disk (an append arriving meanwhile). */
let duringSync: (() => void) | undefined;

beforeEach(() => {
  synced = [];
  inFlight = maxInFlight = opened = closed = 0;
  duringSync = undefined;
  fsp.open = (async (...args: Parameters<typeof fsp.open>) => {
    opened++;
    const handle = await realOpen(...args).catch((e: unknown) => {
      closed++;
      throw e;
    });
    const datasync = handle.datasync.bind(handle);
    const close = handle.close.bind(handle);
    handle.datasync = async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      synced.push(statSync(String(args[0])).size);
      const hook = duringSync;
      duringSync = undefined;
      hook?.();
      try {
        await datasync();
      } finally {
        inFlight--;
      }
    };
    handle.close = async () => {
      closed++;
      await close();
    };
    return handle;
  }) as typeof fsp.open;
});

/** Journals made by the running test: their background fdatasyncs end before the next test counts handles. */
let journals: JournalFile[] = [];

afterEach(async () => {
  await Promise.all(journals.map((j) => j.durable()));
  journals = [];
  fsp.open = realOpen;
});

/** Until every open the journal made has failed or its handle is closed (fdatasyncs nobody awaits included). */
async function settled(): Promise<void> {
  // Bounded by time, not turns: an fdatasync on a busy disk can take longer than any number of turns.
  for (const end = Date.now() + 10_000; Date.now() < end && opened !== closed; ) await new Promise((r) => setTimeout(r, 1));
  assert.equal(closed, opened, 'every journal handle is closed');
}

function journalIn(): JournalFile {
  const j = new JournalFile(join(mkdtempSync(join(tmpdir(), 'journal-file-')), 'r.runbook.md'));
  journals.push(j);
  return j;
}

const seqs = (j: JournalFile) => decodeJournal(readFileSync(j.file, 'utf8')).map((e) => e.seq);

describe('journal file: durable', () => {
  it('resolves only after an fdatasync that began after the entries appended during the previous one', async () => {
    const j = journalIn();
    j.markMerged();
    let later: Promise<void> | undefined;
    let sizeAfter = 0;
    duringSync = () => {
      j.append({ rows: [] });
      j.append({ rows: [] });
      sizeAfter = statSync(j.file).size;
      later = j.durable();
    };
    j.append({ rows: [] });
    await j.durable();
    assert.ok(later, 'an fdatasync ran');
    await later;
    assert.ok(synced.some((s) => s >= sizeAfter), `fdatasyncs began at sizes ${synced.join(', ')}; the entries end at ${sizeAfter}`);
    await settled();
    // The three requests made while the first fdatasync ran share one more, and never two at once.
    assert.equal(synced.length, 2, `fdatasyncs at ${synced.join(', ')}`);
    assert.equal(maxInFlight, 1);
    // A later entry gets an fdatasync of its own.
    j.append({ rows: [] });
    const size = statSync(j.file).size;
    await j.durable();
    assert.equal(synced.at(-1), size);
  });

  it('resolves when the journal was removed meanwhile (a save covered everything)', async () => {
    const j = journalIn();
    j.markMerged();
    const seq = j.append({ rows: [] });
    j.applied(seq);
    j.compact(j.mark());
    assert.equal(existsSync(j.file), false);
    await j.durable();
    await settled();
    assert.deepEqual(synced, []);
  });
});

describe('journal file: what a save drops', () => {
  it('keeps every entry from the first one not yet in the model', () => {
    const j = journalIn();
    j.markMerged();
    const [a, b, c] = [j.append({ rows: [] }), j.append({ rows: [] }), j.append({ rows: [] })];
    assert.deepEqual([a, b, c], [1, 2, 3]);
    j.applied(b);
    assert.equal(j.mark(), 0, 'entries 1 and 3 are not in the model: a save covers none');
    j.compact(j.mark());
    assert.deepEqual(seqs(j), [1, 2, 3]);
    j.applied(a);
    assert.equal(j.mark(), 2, 'entry 3 is not in the model yet');
    j.applied(c);
    assert.equal(j.mark(), 3);
  });

  it('keeps an entry appended after the mark a save started with, and leaves no temporary file', async () => {
    const j = journalIn();
    j.markMerged();
    const a = j.append({ rows: [] });
    j.applied(a);
    const mark = j.mark();
    assert.equal(mark, a);
    const b = j.append({ rows: [] });
    // The append's background fdatasync opens the journal on libuv's thread pool, so its descriptor can
    // appear between the two snapshots below whatever this thread does: let it finish first.
    await j.durable();
    // A save happens on every run: compaction must not leave a file descriptor open each time. Only this
    // journal's folder counts (other tests' handles may close asynchronously meanwhile).
    const dir = join(j.file, '..');
    const fdsInDir = () => readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`).startsWith(`${dir}/`);
      } catch {
        return false; // closed meanwhile (the directory listing's own descriptor)
      }
    });
    const fds = fdsInDir();
    j.compact(mark);
    assert.deepEqual(fdsInDir(), fds, 'no file descriptor on the journal left open');
    assert.deepEqual(seqs(j), [b]);
    assert.deepEqual(readdirSync(join(j.file, '..')), ['.r.runbook.md.journal']);
  });

  it('does nothing when there is no journal file', () => {
    const j = journalIn();
    j.markMerged();
    j.compact(5);
    assert.equal(existsSync(j.file), false);
    assert.deepEqual(j.read(), []);
  });
});
