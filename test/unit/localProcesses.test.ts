// Local one-shot processes go through execa (issue 10 §9): a missing program and a hung one give clear
// errors, and a program killed at its timeout is gone afterwards. Real programs (sh, sleep), no mocks.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exportPdf } from '../../src/core/incident/pdf.js';
import { localCommandRunner } from '../../src/core/sql/commandRunner.js';
import { defaultPrincipal } from '../../src/core/util/defaultPrincipal.js';

/** Running, not a zombie. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('local processes through execa', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rb-execa-'));
    writeFileSync(join(dir, 'page.html'), '<p>hello</p>');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a missing program: the command runner answers 127 and "command not found"', async () => {
    const r = await localCommandRunner.run(['rb-no-such-program', '-json'], 'select 1;');
    assert.equal(r.exitCode, 127);
    assert.match(r.stderr, /^rb-no-such-program: command not found$/);
  });

  it('the command runner hands stdin to the program and returns stdout, stderr and the exit status', async () => {
    const r = await localCommandRunner.run(['sh', '-c', 'cat; echo oops >&2; exit 3'], 'a\nb\n');
    assert.deepEqual({ stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode }, { stdout: 'a\nb\n', stderr: 'oops\n', exitCode: 3 });
  });

  it('aborting stops the program: it resolves with the signal and the program is gone', async () => {
    const pidFile = join(dir, 'runner.pid');
    const stop = new AbortController();
    const running = localCommandRunner.run(['sh', '-c', `echo $$ > ${pidFile}; exec sleep 30`], '', stop.signal);
    let pid = 0;
    for (let i = 0; i < 100 && !pid; i++) {
      await new Promise((r) => setTimeout(r, 20));
      try { pid = Number(readFileSync(pidFile, 'utf8')); } catch { /* not written yet */ }
    }
    assert.ok(pid > 0, 'the program started');
    stop.abort();
    const r = await running;
    assert.equal(r.exitCode, null);
    assert.equal(r.signal, 'SIGTERM');
    assert.equal(alive(pid), false, `pid ${pid} still runs`);
  });

  it('a missing Chromium binary: the PDF export says the command failed with ENOENT', async () => {
    await assert.rejects(exportPdf(join(dir, 'page.html'), join(dir, 'a.pdf'), { chromium: join(dir, 'no-chromium') }),
      /Chromium could not print the PDF \(Command failed with ENOENT\)/);
  });

  it('a hung Chromium is killed at the timeout, and the error says it timed out', async () => {
    const fake = join(dir, 'hung-chromium');
    const pidFile = join(dir, 'chromium.pid');
    writeFileSync(fake, `#!/bin/sh\necho $$ > ${pidFile}\nexec sleep 30\n`);
    chmodSync(fake, 0o755);
    await assert.rejects(exportPdf(join(dir, 'page.html'), join(dir, 'b.pdf'), { chromium: fake, timeoutMs: 300 }),
      /Chromium could not print the PDF \(Command timed out after 300 milliseconds\)/);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    assert.equal(alive(pid), false, `the hung Chromium (pid ${pid}) still runs`);
  });

  it('the default seal principal is one non-empty line (git user.email or user@host)', async () => {
    const who = await defaultPrincipal();
    assert.match(who, /^[^\r\n]+$/);
  });
});
