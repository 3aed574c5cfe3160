// The record's file primitives: atomic write (temporary file + rename, permissions kept, nothing left
// behind on failure), the writer's lock (O_EXCL, holder named, stale locks taken over, released on exit),
// and the disk state the VS Code guard compares before its own saves.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { writeFileAtomic } from '../../src/core/record/atomicWrite.js';
import { readDiskState, unchanged } from '../../src/core/record/diskState.js';
import { lock, lockHolder, lockPathOf, RecordLockedError, tryLock } from '../../src/core/record/lock.js';

const dir = () => mkdtempSync(join(tmpdir(), 'rb-recfiles-'));

/** A pid that is certainly not running: a child that has exited. */
function deadPid(): number {
  return spawnSync('true').pid!;
}

describe('atomic record writes', () => {
  it('replaces the file by rename, keeps its permissions and leaves no temporary file', () => {
    const d = dir();
    const f = join(d, 'r.md');
    writeFileSync(f, 'old\n');
    chmodSync(f, 0o600);
    const ino = statSync(f).ino;
    writeFileAtomic(f, 'new ✓\n');
    assert.equal(readFileSync(f, 'utf8'), 'new ✓\n');
    assert.notEqual(statSync(f).ino, ino);
    assert.equal(statSync(f).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(d), ['r.md']);
  });

  it('fails without touching the old file or leaving a temporary one when the rename cannot happen', () => {
    const d = dir();
    const target = join(d, 'adir');
    writeFileSync(join(d, 'keep.md'), 'x');
    mkdirSync(target);
    writeFileSync(join(target, 'inside'), 'y'); // rename onto a non-empty directory fails
    assert.throws(() => writeFileAtomic(target, 'text'));
    assert.deepEqual(readdirSync(d).sort(), ['adir', 'keep.md']);
  });
});

describe('the record lock', () => {
  it('a second taker is refused with the holder named; release frees it', () => {
    const f = join(dir(), 'r.md');
    const held = tryLock(f);
    assert.equal(lockHolder(f)?.pid, process.pid);
    assert.throws(() => tryLock(f), (e: unknown) => e instanceof RecordLockedError && new RegExp(`pid ${process.pid} on `).test(e.message));
    held.release();
    assert.equal(existsSync(lockPathOf(f)), false);
    assert.equal(lockHolder(f), undefined);
    tryLock(f).release();
  });

  it('takes over a lock whose process is gone, and a stale unreadable one', () => {
    const f = join(dir(), 'r.md');
    writeFileSync(lockPathOf(f), JSON.stringify({ pid: deadPid(), host: hostname(), started: new Date().toISOString() }));
    assert.equal(lockHolder(f), undefined);
    tryLock(f).release();
    writeFileSync(lockPathOf(f), 'garbage');
    assert.throws(() => tryLock(f), RecordLockedError, 'an unreadable lock may be being written right now');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockPathOf(f), old, old);
    tryLock(f).release();
  });

  it('never takes a lock held on another host (shared file system)', () => {
    const f = join(dir(), 'r.md');
    writeFileSync(lockPathOf(f), JSON.stringify({ pid: deadPid(), host: `not-${hostname()}`, started: 'x' }));
    assert.throws(() => tryLock(f), /being written by another run/);
  });

  it('waits for the holder when asked to', async () => {
    const f = join(dir(), 'r.md');
    const first = tryLock(f);
    let told = '';
    const second = lock(f, { wait: true, onWait: (e) => (told = e.message) });
    await new Promise((r) => setTimeout(r, 300));
    assert.match(told, /being written by another run/);
    first.release();
    (await second).release();
  });
});

describe('disk state for the editor\'s guard', () => {
  it('a touch is not a change, new bytes are, and a missing file is its own state', async () => {
    const f = join(dir(), 'r.md');
    writeFileSync(f, 'one\n');
    const known = await readDiskState(f);
    const later = new Date(Date.now() + 5000);
    utimesSync(f, later, later);
    assert.equal(unchanged(known, await readDiskState(f)), true);
    writeFileSync(f, 'two\n');
    assert.equal(unchanged(known, await readDiskState(f)), false);
    assert.equal(unchanged(undefined, await readDiskState(join(f, 'missing'))), true);
    assert.equal(unchanged(known, undefined), false);
  });
});
