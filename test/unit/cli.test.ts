// The `runbook` CLI, run as a real process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { firstDifference } from '../../src/cli/roundtrip.js';
import { filesIn, repoRoot, seedsDir } from './helpers.js';

function runbook(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), ...args], { encoding: 'utf8', cwd: repoRoot });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('runbook CLI', () => {
  it('roundtrip prints ok per file and exits 0 for the seeds', () => {
    const seeds = filesIn(seedsDir, '.md');
    const r = runbook('roundtrip', ...seeds);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.out.trim().split('\n'), seeds.map((f) => `${f}: ok`));
  });

  it('roundtrip exits non-zero on a file it cannot read as UTF-8', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-cli-'));
    const bad = join(dir, 'bad.runbook.md');
    writeFileSync(bad, Buffer.from([0x23, 0x20, 0xff, 0xfe, 0x0a]));
    const r = runbook('roundtrip', bad);
    assert.equal(r.code, 1);
    assert.match(r.out, /bad\.runbook\.md: error: not valid UTF-8/);
  });

  it('firstDifference names the first differing line', () => {
    assert.equal(firstDifference('a\nb\nc\n', 'a\nb\nc\n'), undefined);
    assert.equal(firstDifference('a\nb\nc\n', 'a\nB\nc\n'), 'line 2: expected "b", got "B"');
    assert.equal(firstDifference('a\n', 'a\r\n'), 'line 1: expected "a", got "a\\r"');
  });

  it('cells prints one JSON line per cell with kind, language, attributes, outputs and lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-cli-'));
    const file = join(dir, 'x.runbook.md');
    writeFileSync(file, '# T\n\n```bash {name=a}\nls\n```\n\n<!-- runbook:output {"exit":0} -->\n```text\nx\n```\n<!-- /runbook:output -->\n');
    const r = runbook('cells', file);
    assert.equal(r.code, 0, r.err);
    const rows = r.out.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(rows, [
      { index: 0, kind: 'markdown', language: 'markdown', attributes: {}, outputs: 0, startLine: 1, endLine: 1 },
      { index: 1, kind: 'code', language: 'shellscript', fence: 'bash', attributes: { name: 'a' }, outputs: 1, startLine: 3, endLine: 5 },
    ]);
  });

  it('explains usage errors with exit code 2', () => {
    assert.equal(runbook().code, 2);
    const r = runbook('frobnicate');
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown command 'frobnicate'/);
    assert.equal(runbook('cells').code, 2);
  });
});
