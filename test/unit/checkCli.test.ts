// `runbook check FILE...` as a real process: file:line:col severity message, exit 1 only on errors.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkCommand } from '../../src/cli/check.js';
import { filesIn, repoRoot, samplesDir } from './helpers.js';

function runbook(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), ...args], { encoding: 'utf8', cwd: repoRoot });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function file(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rb-check-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('runbook check', () => {
  it('passes every sample with no error (exit 0)', () => {
    const r = runbook('check', '--no-ssh-config', ...filesIn(samplesDir, '.runbook.md'));
    assert.equal(r.code, 0, r.out + r.err);
    assert.doesNotMatch(r.out, / error /);
    assert.match(r.out, /^0 error\(s\)/m);
  });

  it('prints file:line:col severity message (1-based) and exits 1 on an error', () => {
    const f = file('bad.runbook.md', '# T\n\n```bash {name=x host=nowhere}\nls\n```\n');
    const r = runbook('check', '--no-ssh-config', f);
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:22 error Unknown host "nowhere"`, 'm'));
  });

  it('exits 0 when there are only warnings and notes', () => {
    const lines: string[] = [];
    const f = file('warn.runbook.md', '```bash\nsudo systemctl restart x\ncurl YOUR_HOOK_URL\n```\n');
    assert.equal(checkCommand(['--no-ssh-config', f], (s) => lines.push(s)), 0);
    assert.deepEqual(lines.slice(0, 2), [
      `${f}:2:1 information Destructive: systemctl restart. Add confirm=true to the fence so readers see that this step asks first [destructive-without-confirm]`,
      `${f}:3:6 warning Unfilled placeholder "YOUR_HOOK_URL": make it a variable (\${HOOK_URL}) [placeholder]`,
    ]);
  });

  it('accepts hosts of an ssh config given with --ssh-config', () => {
    const f = file('ssh.runbook.md', '```bash {host=jumpy}\nls\n```\n');
    const cfg = file('config', 'Host jumpy\n  HostName 10.0.0.9\n');
    assert.equal(checkCommand(['--no-ssh-config', f], () => undefined), 1);
    assert.equal(checkCommand(['--ssh-config', cfg, f], () => undefined), 0);
  });

  it('reports an unreadable file as an error, and usage errors with exit 2', () => {
    const bad = file('bin.runbook.md', '');
    writeFileSync(bad, Buffer.from([0xff, 0xfe, 0x0a]));
    const r = runbook('check', bad);
    assert.equal(r.code, 1);
    assert.match(r.out, /bin\.runbook\.md:1:1 error not valid UTF-8/);
    assert.equal(runbook('check').code, 2);
  });
});
