// `Match exec` is never run (ssh would run it: shown with ssh -G on the same config), and `runbook check`
// says so; hosts reached through a ProxyCommand are named by `runbook check`.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fsIncludeReader, parseSshConfig, resolveSshHost } from '../../src/core/ssh/sshConfig.js';
import { repoRoot } from './helpers.js';
import { requirement } from '../harness/requirement.js';

function runbook(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), ...args], { encoding: 'utf8', cwd: repoRoot });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('Match exec and ProxyCommand in runbook check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rb-matchexec-'));
  const marker = join(dir, 'exec-ran');
  const cfg = join(dir, 'ssh_config');
  writeFileSync(cfg, `Match exec "touch ${marker}"
  User from-exec
Host ssm-*
  ProxyCommand sh -c "aws ssm start-session --target %h --document-name AWS-StartSSHSession --parameters portNumber=%p"
Host app
  HostName app.internal
  ProxyJump ssm-bastion
`, { mode: 0o600 });
  const runbookFile = join(dir, 'r.runbook.md');
  writeFileSync(runbookFile, '---\nhosts:\n  web: { ssh: ssm-i-0abc }\n---\n# R\n\n```bash {host=app}\nuptime\n```\n');

  it('ssh itself would run the marker command (the marker works)', { skip: requirement(existsSync('/usr/bin/ssh') ? undefined : 'no ssh: install openssh-client') }, () => {
    execFileSync('ssh', ['-G', '-F', cfg, 'anything'], { stdio: 'ignore' });
    assert.ok(existsSync(marker), 'ssh -G ran Match exec');
    rmSync(marker);
  });

  it('resolving hosts never runs it, and its block does not apply', () => {
    const config = parseSshConfig(execFileSync('cat', [cfg], { encoding: 'utf8' }), { readInclude: fsIncludeReader });
    const h = resolveSshHost(config, 'anything', { localUser: 'me', homeDir: '/home/me' });
    assert.equal(h.user, 'me');
    assert.equal(config.execMatches.length, 1);
    assert.ok(config.problems.some((p) => /Match exec is never run/.test(p)));
    assert.ok(!existsSync(marker), 'the marker command did not run');
  });

  it('runbook check says Match exec is not run and names the ProxyCommand hosts, without running anything', () => {
    const r = runbook('check', '--ssh-config', cfg, runbookFile);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /information Match exec is never run here, so its block does not apply \(ssh would run it\): .*ssh_config:1: touch /);
    assert.match(r.out, /:3:\d+ information web is reached through the ssh config's ProxyCommand `sh -c "aws ssm start-session --target ssm-i-0abc .*portNumber=22"`/);
    assert.match(r.out, /information app \(its jump host ssm-bastion\) is reached through the ssh config's ProxyCommand `sh -c "aws ssm start-session --target ssm-bastion /);
    assert.ok(!existsSync(marker), 'the marker command did not run');
  });

  it('runbook check follows Include (glob in a directory part) for host= aliases', () => {
    mkdirSync(join(dir, 'conf.d', 'team'), { recursive: true });
    writeFileSync(join(dir, 'conf.d', 'team', 'config'), 'Host included-db\n  HostName db.internal\n');
    const cfg2 = join(dir, 'ssh_config_inc');
    writeFileSync(cfg2, `Include ${dir}/conf.d/*/config\n`, { mode: 0o600 });
    const rb = join(dir, 'inc.runbook.md');
    writeFileSync(rb, '# R\n\n```bash {host=included-db}\nuptime\n```\n\n```bash {host=not-there}\nuptime\n```\n');
    const r = runbook('check', '--ssh-config', cfg2, rb);
    assert.doesNotMatch(r.out, /Unknown host "included-db"/);
    assert.match(r.out, /Unknown host "not-there"/);
  });
});
