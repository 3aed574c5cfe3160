// Reading a record ahead of the window (src/notebook/prefetch.ts, issue 17): what was read ahead is used only
// for the very bytes the window sends, once; anything else is parsed as it comes, and nothing stays held.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Prefetch } from '../../src/notebook/prefetch.js';

const dir = mkdtempSync(join(tmpdir(), 'prefetch-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function file(text: string): { path: string; bytes: Uint8Array } {
  const path = join(dir, `r${++files}.runbook.md`);
  writeFileSync(path, text);
  return { path, bytes: new TextEncoder().encode(text) };
}

/** A prefetch whose "notebook data" is the text with a build count, for files of any size. */
function counting(o: { keepMs?: number; maxHeldBytes?: number; fail?: boolean } = {}) {
  const built: string[] = [];
  const p = new Prefetch<string>({
    minBytes: 1, ...o,
    build: (bytes) => {
      const text = new TextDecoder().decode(bytes);
      if (o.fail) throw new Error('not UTF-8');
      built.push(text);
      return `data of ${text}`;
    },
  });
  return { p, built };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('reading a record ahead of the window', () => {
  it('gives the data built from the file for the same bytes, once', async () => {
    const { p, built } = counting();
    const f = file('# A\n\n```bash\necho a\n```\n');
    await p.start(f.path);
    assert.deepEqual(built, ['# A\n\n```bash\necho a\n```\n'], 'built while the bytes travel');
    assert.equal(p.take(f.bytes), 'data of # A\n\n```bash\necho a\n```\n');
    assert.equal(p.take(f.bytes), undefined, 'a second read of the same bytes (a revert) is parsed again');
    p.dispose();
  });

  it('never answers for other bytes: a file changed after the read, or another file of the same length', async () => {
    const { p } = counting();
    const f = file('# A\n');
    await p.start(f.path);
    assert.equal(p.take(new TextEncoder().encode('# B\n')), undefined);
    assert.equal(p.take(new TextEncoder().encode('# A\n\nmore\n')), undefined);
    assert.equal(p.take(f.bytes), 'data of # A\n', 'the entry is still there for its own bytes');
    p.dispose();
  });

  it('does not read files below the size where it could help, nor files it cannot read', async () => {
    const small = new Prefetch<string>({ minBytes: 1024, build: () => assert.fail('a small file is not built') });
    const f = file('# small\n');
    await small.start(f.path);
    assert.equal(small.take(f.bytes), undefined);
    const { p, built } = counting();
    await p.start(join(dir, 'missing.runbook.md'));
    assert.deepEqual(built, []);
    p.dispose();
  });

  it('keeps nothing when the serializer refuses the bytes (they are parsed, and refused, as they come)', async () => {
    const { p } = counting({ fail: true });
    const f = file('# A\n');
    await p.start(f.path);
    assert.equal(p.take(f.bytes), undefined);
  });

  it('does not build a file whose bytes already arrived and were parsed while it was being read', async () => {
    const { p, built } = counting();
    const f = file('# raced\n');
    const reading = p.start(f.path);
    // The window's bytes come first (a small file over a fast link): deserialized the usual way.
    assert.equal(p.take(f.bytes), undefined);
    await reading;
    assert.deepEqual(built, [], 'the same length arrived: not parsed a second time');
  });

  it('drops what was not asked for within keepMs, and holds at most maxHeldBytes', async () => {
    const { p } = counting({ keepMs: 30 });
    const f = file('# A\n');
    await p.start(f.path);
    await wait(80);
    assert.equal(p.take(f.bytes), undefined, 'dropped after keepMs');
    const capped = counting({ maxHeldBytes: 10 });
    const a = file('0123456789'.slice(0, 8));
    const b = file('abcdefgh');
    await capped.p.start(a.path);
    await capped.p.start(b.path);
    assert.deepEqual(capped.built, ['01234567'], 'the second file would pass the cap: not read');
    capped.p.dispose();
    assert.equal(capped.p.take(a.bytes), undefined, 'dispose drops everything');
  });

  it('reads a path once at a time', async () => {
    const { p, built } = counting();
    const f = file('# once\n');
    await Promise.all([p.start(f.path), p.start(f.path)]);
    assert.equal(built.length, 1);
    p.dispose();
  });
});
