// Differential test against OpenSSH itself: for dozens of ssh_config files written like real ones, the
// host name, user, port, identity files, ProxyJump and ProxyCommand our resolver gives must equal what
// `ssh -G -F cfg host` prints, and the token-expanded identity files and ProxyCommand must equal what
// `ssh -v` reports when it runs them (the ProxyCommand becomes `true <command>`, so nothing connects).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fsIncludeReader, parseJumpSpec, parseSshConfig, resolveSshHost } from '../../src/core/ssh/sshConfig.js';
import { SSH_CONFIG_CASES } from './fixtures/sshConfigCases.js';
import { requirement } from '../harness/requirement.js';

const SSH = '/usr/bin/ssh';
const me = userInfo();
const DEFAULT_IDS = ['~/.ssh/id_rsa', '~/.ssh/id_ecdsa', '~/.ssh/id_ecdsa_sk', '~/.ssh/id_ed25519', '~/.ssh/id_ed25519_sk', '~/.ssh/id_xmss', '~/.ssh/id_dsa'];

interface Oracle {
  hostname: string;
  user: string;
  port: number;
  identityFiles: string[];
  proxyJump?: string;
  proxyCommandRaw?: string;
  /** From `ssh -v`. */
  expandedIdentityFiles: string[];
  expandedProxyCommand?: string;
}

function splitTarget(target: string): { user?: string; host: string } {
  const at = target.lastIndexOf('@');
  return at < 0 ? { host: target } : { user: target.slice(0, at), host: target.slice(at + 1) };
}

function oracle(cfg: string, target: string): Oracle {
  const { user, host } = splitTarget(target);
  const userArgs = user ? ['-l', user] : [];
  const g = execFileSync(SSH, ['-G', '-F', cfg, ...userArgs, '--', host], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const fields = new Map<string, string[]>();
  for (const line of g.split('\n')) {
    const sp = line.indexOf(' ');
    if (sp < 0) continue;
    const k = line.slice(0, sp);
    fields.set(k, [...(fields.get(k) ?? []), line.slice(sp + 1)]);
  }
  const ids = fields.get('identityfile') ?? [];
  const out: Oracle = {
    hostname: fields.get('hostname')![0]!,
    user: fields.get('user')![0]!,
    port: Number(fields.get('port')![0]),
    identityFiles: JSON.stringify(ids) === JSON.stringify(DEFAULT_IDS) ? [] : ids,
    expandedIdentityFiles: [],
  };
  if (fields.has('proxyjump')) out.proxyJump = fields.get('proxyjump')![0]!;
  if (fields.has('proxycommand')) out.proxyCommandRaw = fields.get('proxycommand')![0]!;
  // ssh -v with the ProxyCommand replaced by `true <it>`: ssh expands its tokens, logs it, runs `true`.
  const raw = out.proxyCommandRaw ?? '';
  assert.doesNotMatch(raw, /[;|&`$<>()]/, 'test ProxyCommands must stay harmless');
  const v = spawnSync(SSH, ['-v', '-F', cfg, ...userArgs, '-o', `ProxyCommand=true PC ${raw}`, '-o', 'BatchMode=yes', '-o', 'UserKnownHostsFile=/dev/null', '--', host], {
    encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000,
  });
  const log = v.stderr;
  const pc = /Executing proxy command: exec true PC ?(.*)$/m.exec(log);
  assert.ok(pc, `ssh -v ran no proxy command:\n${log}`);
  if (out.proxyCommandRaw !== undefined) out.expandedProxyCommand = pc[1]!;
  if (out.identityFiles.length) {
    const listed = [...log.matchAll(/identity file (.*) type -?\d+$/gm)].map((m) => m[1]!);
    out.expandedIdentityFiles = listed.filter((f, i) => !(f.endsWith('-cert') && listed[i - 1] === f.slice(0, -5)));
  }
  return out;
}

/** ssh -G prints ProxyJump's first hop parsed (`user@host:port`), the rest as written; nothing for none. */
function jumpAsSshPrintsIt(hops: string[] | undefined): string | undefined {
  if (!hops?.length) return undefined;
  const first = parseJumpSpec(hops[0]!);
  return [`${first.user ? `${first.user}@` : ''}${first.host}${first.port ? `:${first.port}` : ''}`, ...hops.slice(1)].join(',');
}

function ours(text: string, target: string) {
  const { user, host } = splitTarget(target);
  const config = parseSshConfig(text, { readInclude: fsIncludeReader, homeDir: me.homedir, baseDir: join(me.homedir, '.ssh') });
  return resolveSshHost(config, host, {
    localUser: me.username, homeDir: me.homedir, env: process.env, localHost: hostname(),
    ...(user ? { user } : {}),
  });
}

describe('ssh_config resolution vs ssh -G (OpenSSH as the oracle)', { skip: requirement(existsSync(SSH) ? undefined : 'openssh-client is not installed') }, () => {
  it('the corpus has dozens of configs', () => {
    assert.ok(SSH_CONFIG_CASES.length >= 24, `${SSH_CONFIG_CASES.length} configs`);
    assert.ok(existsSync(SSH), `${SSH} is missing: install openssh-client`);
  });

  for (const c of SSH_CONFIG_CASES) {
    it(c.name, () => {
      const dir = mkdtempSync(join(tmpdir(), 'rb-sshdiff-'));
      const text = c.config.replaceAll('@DIR@', dir);
      for (const [rel, body] of Object.entries(c.files ?? {})) {
        mkdirSync(dirname(join(dir, rel)), { recursive: true });
        writeFileSync(join(dir, rel), body.replaceAll('@DIR@', dir));
      }
      const cfg = join(dir, 'config');
      writeFileSync(cfg, text, { mode: 0o600 });
      for (const target of c.hosts) {
        const want = oracle(cfg, target);
        const got = ours(text, target);
        const what = `${c.name} / ${target}`;
        assert.equal(got.hostName, want.hostname, `${what}: hostname`);
        assert.equal(got.user, want.user, `${what}: user`);
        assert.equal(got.port, want.port, `${what}: port`);
        assert.equal(jumpAsSshPrintsIt(got.proxyJump), want.proxyJump, `${what}: proxyjump`);
        assert.equal(got.proxyCommandRaw, want.proxyCommandRaw, `${what}: proxycommand`);
        assert.equal(got.proxyCommand, want.expandedProxyCommand, `${what}: proxycommand, tokens expanded`);
        assert.deepEqual(got.identityFiles, want.expandedIdentityFiles, `${what}: identityfile, expanded`);
      }
    });
  }
});
