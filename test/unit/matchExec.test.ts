// `Match exec` in ~/.ssh/config is never run: each form writes a marker file if its command ever runs, and
// the marker must not exist after parsing, resolving, and a real `runbook run` on a host of that config.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseSshConfig, resolveSshHost } from '../../src/core/ssh/sshConfig.js';
import { freePort } from '../harness/ports.js';
import { repoRoot } from './helpers.js';

describe('Match exec is never run', () => {
  let dir: string;
  let markers: string[];
  let config: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rb-matchexec-'));
    markers = ['a', 'b', 'c', 'd'].map((n) => join(dir, `ran-${n}`));
    const port = await freePort(); // nothing listens there: the run fails to connect, after resolving the host
    config = [
      'Host short',
      '  HostName 127.0.0.1',
      `  Port ${port}`,
      '  User rb-nobody',
      `Match exec "touch ${markers[0]}"`,
      '  User evil-a',
      `Match host 127.0.0.1 exec "touch ${markers[1]}"`,
      '  User evil-b',
      `Match !exec "touch ${markers[2]}"`,
      '  User evil-c',
      `Match all exec "sh -c 'touch ${markers[3]}'"`,
      '  User evil-d',
      '',
    ].join('\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('parsing and resolving a config with Match exec blocks runs none of their commands and applies none', () => {
    const c = parseSshConfig(config);
    const h = resolveSshHost(c, 'short', { localUser: 'alice', homeDir: dir, localHost: 'laptop' });
    assert.equal(h.user, 'rb-nobody');
    assert.ok(c.problems.some((p) => /Match exec is never run/.test(p)), c.problems.join('; '));
    assert.deepEqual(markers.filter((m) => existsSync(m)), [], 'no Match exec command ran');
  });

  it('runbook run on a host of that config runs none of them either', () => {
    const cfg = join(dir, 'ssh_config');
    writeFileSync(cfg, config);
    const file = join(dir, 'm.runbook.md');
    writeFileSync(file, '# m\n\n```bash {name=hello host=short timeout=10s}\necho hi\n```\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), 'run', file, '--all', '--ssh-config', cfg,
      '--known-hosts', join(dir, 'known_hosts')], { encoding: 'utf8', cwd: repoRoot, input: '', timeout: 60_000 });
    assert.notEqual(r.status, 0, 'nothing listens on the port: the cell fails');
    assert.match(r.stderr, /hello/, r.stderr);
    assert.doesNotMatch(r.stderr + r.stdout, /evil-/);
    assert.deepEqual(markers.filter((m) => existsSync(m)), [], 'no Match exec command ran');
  });
});
