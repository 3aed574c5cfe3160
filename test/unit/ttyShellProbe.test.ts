// Whether a local shell can have a terminal (util-linux script(1)) is asked ahead of a first run without
// blocking (src/core/prompt/ttyShell.ts, issue 17), and the answer is the one the synchronous ask gives.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { hasUtilLinuxScript, probeUtilLinuxScript } from '../../src/core/prompt/ttyShell.js';

describe('probeUtilLinuxScript', () => {
  it('answers without blocking, once, as script --version says', async () => {
    const expected = /util-linux/.test(spawnSync('script', ['--version'], { encoding: 'utf8' }).stdout ?? '');
    const asked = probeUtilLinuxScript();
    assert.ok(asked instanceof Promise);
    assert.equal(probeUtilLinuxScript(), asked, 'one probe at a time');
    assert.equal(await asked, expected);
    assert.equal(hasUtilLinuxScript(), expected);
    assert.equal(await probeUtilLinuxScript(), expected);
  });
});
