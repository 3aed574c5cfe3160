// The pure parts of the shell session: marker scanning over arbitrary chunking, output capping, quoting.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { CappedText } from '../../src/core/shell/cappedText.js';
import { cellScript, newMarkerPrefix, type Marker } from '../../src/core/shell/framing.js';
import { MarkerScanner, type ScanItem } from '../../src/core/shell/markerScanner.js';
import { exportLines, quoteShell } from '../../src/core/shell/quote.js';
import { listFromPs, listProcesses, selectShellProcesses, type ProcInfo } from '../../src/core/shell/processTree.js';

const prefix = '__RB_0123456789abcdef_';

/** Feeds `text` in chunks of the given sizes and returns the joined text and the markers found. */
function scan(text: string, sizes: number[]): { text: string; markers: Marker[] } {
  const s = new MarkerScanner(prefix);
  const items: ScanItem[] = [];
  let at = 0;
  for (let i = 0; at < text.length; i++) {
    const n = sizes[i % sizes.length]!;
    items.push(...s.push(text.slice(at, at + n)));
    at += n;
  }
  items.push(s.flush());
  return {
    text: items.filter((x): x is string => typeof x === 'string').join(''),
    markers: items.filter((x): x is Marker => typeof x !== 'string'),
  };
}

describe('MarkerScanner', () => {
  const stream = `hello\npartial line${prefix}7E\nafter\n${prefix}7O:42:hxB:\n${prefix}8O:0:hB:4711\ntail`;

  it('finds markers split at every possible position, even mid-line', () => {
    for (let cut = 1; cut < stream.length; cut++) {
      const r = scan(stream, [cut, stream.length]);
      assert.equal(r.text, 'hello\npartial lineafter\ntail', `cut at ${cut}`);
      assert.deepEqual(r.markers, [
        { kind: 'E', seq: 7 },
        { kind: 'O', seq: 7, exitCode: 42, flags: 'hxB', lastJob: undefined },
        { kind: 'O', seq: 8, exitCode: 0, flags: 'hB', lastJob: 4711 },
      ]);
    }
  });

  it('survives one-character chunks', () => {
    const r = scan(stream, [1]);
    assert.equal(r.markers.length, 3);
    assert.equal(r.text, 'hello\npartial lineafter\ntail');
  });

  it('leaves lookalikes that are not markers as text', () => {
    const text = `${prefix}nope\n__RB_0123 ${prefix}12X\n`;
    const r = scan(text, [5]);
    assert.equal(r.text, text);
    assert.equal(r.markers.length, 0);
  });
});

describe('CappedText', () => {
  it('keeps everything under the limit', () => {
    const c = new CappedText(100);
    c.push('abc\n');
    c.push('def');
    assert.deepEqual(c.result(), { text: 'abc\ndef', cutBytes: 0 });
  });

  it('keeps head and tail with a marker counting the bytes cut', () => {
    const c = new CappedText(4000);
    let all = '';
    for (let i = 1; i <= 10000; i++) {
      c.push(`${i}\n`);
      all += `${i}\n`;
    }
    const r = c.result();
    assert.match(r.text, /^1\n2\n/);
    assert.match(r.text, /\n9999\n10000\n$/);
    const [head, tail] = r.text.split(/… \d+ bytes cut …\n/);
    assert.equal(Buffer.byteLength(head!) + Buffer.byteLength(tail!) + r.cutBytes, Buffer.byteLength(all));
    assert.match(r.text, new RegExp(`\\n… ${r.cutBytes} bytes cut …\\n`));
    assert.ok(Buffer.byteLength(r.text) <= 4000 + 40);
  });

  it('never splits a multi-byte character', () => {
    const c = new CappedText(101);
    for (let i = 0; i < 500; i++) c.push('é€😀');
    const r = c.result();
    assert.ok(!r.text.includes('\uFFFD'), 'no replacement characters');
    assert.match(r.text, /^(é€😀)+(é|é€)?\n… \d+ bytes cut …\n/u);
  });
});

describe('framing and quoting', () => {
  it('quotes values so bash reads them back byte for byte', () => {
    const value = `it's "quoted" $HOME \`x\` \\ \n new line ; rm -rf /`;
    const r = spawnSync('bash', ['--noprofile', '--norc', '-c', `${exportLines({ V: value })}printf %s "$V"`], { encoding: 'utf8' });
    assert.equal(r.stdout, value);
    assert.equal(quoteShell("a'b"), `'a'\\''b'`);
    assert.throws(() => exportLines({ 'BAD-NAME': 'x' }), /not a valid shell variable name/);
  });

  it('never writes the complete marker token in the script (so echoing input cannot end a cell)', () => {
    const p = newMarkerPrefix();
    assert.match(p, /^__RB_[0-9a-f]{16}_$/);
    const script = cellScript({ prefix: p, seq: 3, source: 'echo hi' });
    assert.ok(!script.includes(p));
  });
});

describe('selectShellProcesses', () => {
  const p = (pid: number, ppid: number, pgid: number, sid: number, startMs: number): ProcInfo => ({ pid, ppid, pgid, sid, startMs });
  const procs = [
    p(100, 1, 100, 100, 0), // the shell
    p(101, 100, 100, 100, 5000), // cell child
    p(102, 1, 100, 100, 5100), // orphaned, still in the session
    p(103, 101, 103, 103, 5200), // setsid'ed grandchild
    p(104, 100, 100, 100, 1000), // background job of an earlier cell
    p(200, 1, 200, 200, 5000), // unrelated
  ];

  it('picks the cell processes by session, group and ancestry within the start window', () => {
    assert.deepEqual(selectShellProcesses(procs, 100, { sinceMs: 4990 }).sort(), [101, 102, 103]);
    assert.deepEqual(selectShellProcesses(procs, 100).sort(), [101, 102, 103, 104]);
    assert.deepEqual(selectShellProcesses(procs, 100, { sinceMs: 4990, untilMs: 5050 }).sort(), [101]);
  });
});

describe('process listing', () => {
  it('reads this process the same way from /proc and from ps (the fallback where there is no /proc)', () => {
    const fromProc = listProcesses().find((p) => p.pid === process.pid);
    const fromPs = listFromPs().find((p) => p.pid === process.pid);
    assert.ok(fromProc && fromPs);
    assert.equal(fromPs.ppid, fromProc.ppid);
    assert.equal(fromPs.pgid, fromProc.pgid);
    assert.equal(fromProc.sid, Number(spawnSync('ps', ['-o', 'sess=', '-p', String(process.pid)], { encoding: 'utf8' }).stdout.trim()));
    assert.ok(Math.abs(fromPs.startMs - fromProc.startMs) < 2000, `${fromPs.startMs} vs ${fromProc.startMs}`);
    assert.ok(Math.abs(fromProc.startMs - (Date.now() - process.uptime() * 1000)) < 1000);
  });
});
