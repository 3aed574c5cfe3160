// The digests that tie a log row to the record (src/core/log/recordDigests.ts), pinned: a record written
// today must verify with any later version, so the formulas may not drift (Stryker showed that no test
// noticed a changed formula: writer and verifier changed together). Also what is hashed: an output as a
// reader of the saved file gets it back.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CellOutput, OutputMeta } from '../../src/core/format/model.js';
import { outputsDigest, sourceDigest, storedOutput } from '../../src/core/log/recordDigests.js';

const meta = { cell: 'x', exit: 0 } as unknown as OutputMeta;
const out = (text: string, extra: Partial<CellOutput> = {}): CellOutput => ({ meta, text, ...extra });

describe('record digests', () => {
  it('a cell source digest is pinned, and the same for CRLF and LF line endings', () => {
    assert.equal(sourceDigest('echo hi'), '99518059b6037c97');
    assert.equal(sourceDigest('a\r\nb\r\nc'), sourceDigest('a\nb\nc'));
    assert.notEqual(sourceDigest('a\r\nb'), sourceDigest('ab'));
    assert.notEqual(sourceDigest('echo hi'), sourceDigest('echo hi '));
  });

  it('an outputs digest is pinned (an empty list has one too)', () => {
    assert.equal(outputsDigest([out('hi\n')]), '6566600193db2130');
    assert.equal(outputsDigest([]), '84c951f4c3450316');
    assert.notEqual(outputsDigest([out('hi\n'), out('hi\n')]), outputsDigest([out('hi\n')]));
  });

  it('a new output is hashed as the saved file will give it back (final newline, CRLF, language)', () => {
    assert.deepEqual(storedOutput(out('a')), { meta, lang: 'text', text: 'a\n' });
    assert.deepEqual(storedOutput(out('a\r\nb\n')), { meta, lang: 'text', text: 'a\nb\n' });
    assert.deepEqual(storedOutput(out('', { lang: 'json' })), { meta, lang: 'json', text: '' });
    assert.equal(outputsDigest([out('a')]), outputsDigest([out('a\n')]));
  });

  it('an output read from a file is hashed as it was read', () => {
    assert.deepEqual(storedOutput(out('a', { raw: '<!-- runbook:output {} -->\n```text\na\n```\n<!-- /runbook:output -->' })),
      { meta, lang: 'text', text: 'a' });
    assert.deepEqual(storedOutput(out('x', { raw: 'r', lang: 'sql' })), { meta, lang: 'sql', text: 'x' });
  });
});
