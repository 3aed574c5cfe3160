// Sealed records: SSHSIG signatures made by `runbook seal` are checked by the real `ssh-keygen -Y`, and
// signatures made by `ssh-keygen -Y sign` are checked by `runbook verify` — the oracle in both directions.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseRunbook, serializeRunbook } from '../../src/core/format/index.js';
import { verifyRecord } from '../../src/core/log/verifyRecord.js';
import { isAllowed, parseAllowedSigners } from '../../src/core/seal/allowedSigners.js';
import { renderSealBlock, splitSeal } from '../../src/core/seal/sealBlock.js';
import { decodeSignature, dearmor } from '../../src/core/seal/sshsig.js';
import { sealState } from '../../src/core/seal/verifySeal.js';
import { repoRoot } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'rb-seal-'));
const cli = ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts')];

function runbook(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [...cli, ...args], { encoding: 'utf8', cwd: repoRoot, env: { ...process.env, SSH_AUTH_SOCK: '', ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function sshKeygen(args: string[], input?: string) {
  const r = spawnSync('ssh-keygen', args, { encoding: 'utf8', input });
  return { code: r.status, out: r.stdout + r.stderr };
}

function keygen(name: string, type: string, passphrase = ''): string {
  const file = join(dir, name);
  const extra = type === 'rsa' ? ['-b', '2048'] : [];
  assert.equal(sshKeygen(['-q', '-t', type, ...extra, '-N', passphrase, '-C', name, '-f', file]).code, 0, 'ssh-keygen is installed');
  return file;
}

const pub = (key: string): string => readFileSync(`${key}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');

const RECORD = `# Disk full on cvd-prod

\`\`\`bash {name=check}
df -h
\`\`\`
`;

function recordFile(name: string): string {
  const file = join(dir, name);
  writeFileSync(file, RECORD);
  const r = runbook(['run', file, '--all']);
  assert.equal(r.code, 0, r.err);
  return file;
}

function armorOf(text: string): string {
  return splitSeal(text).seal!.armor.join('\n') + '\n';
}

/** ssh-keygen's own verdict on a sealed record: payload from `runbook seal --payload`, signature from the block. */
function keygenVerify(file: string, allowed: string, principal: string, payload = runbook(['seal', '--payload', file]).out) {
  writeFileSync(join(dir, 'sig'), armorOf(readFileSync(file, 'utf8')));
  writeFileSync(join(dir, 'allowed'), allowed);
  return sshKeygen(['-Y', 'verify', '-f', join(dir, 'allowed'), '-I', principal, '-n', 'runbook', '-s', join(dir, 'sig')], payload);
}

describe('runbook seal and verify --allowed-signers (ssh-keygen -Y as the oracle)', () => {
  let ed = '';
  let rsa = '';
  let ec = '';
  before(() => {
    ed = keygen('ed', 'ed25519');
    rsa = keygen('rsa', 'rsa');
    ec = keygen('ec', 'ecdsa');
  });

  for (const kind of ['ed25519', 'rsa', 'ecdsa'] as const) {
    it(`signs with a ${kind} key file so that ssh-keygen -Y verify and check-novalidate accept it`, () => {
      const key = kind === 'rsa' ? rsa : kind === 'ecdsa' ? ec : ed;
      const file = recordFile(`rec-${kind}.md`);
      const before = readFileSync(file, 'utf8');
      const r = runbook(['seal', file, '--key', key, '--principal', 'alice@example.com']);
      assert.equal(r.code, 0, r.err);
      const sealed = readFileSync(file, 'utf8');
      assert.ok(sealed.startsWith(before), 'sealing only appends');
      const lines = sealed.trimEnd().split('\n');
      assert.equal(lines[lines.length - 1], '<!-- /runbook:seal -->', 'the seal block is at the very end');
      assert.ok(lines.includes('-----BEGIN SSH SIGNATURE-----') && lines.includes('-----END SSH SIGNATURE-----'), 'armor lines one per line');
      const ok = keygenVerify(file, `alice@example.com ${pub(key)}\n`, 'alice@example.com');
      assert.equal(ok.code, 0, ok.out);
      assert.match(ok.out, /Good "runbook" signature for alice@example.com/);
      const payload = runbook(['seal', '--payload', file]).out;
      assert.equal(sshKeygen(['-Y', 'check-novalidate', '-n', 'runbook', '-s', join(dir, 'sig')], payload).code, 0);
      assert.equal(sshKeygen(['-Y', 'check-novalidate', '-n', 'git', '-s', join(dir, 'sig')], payload).code === 0, false, 'namespace is runbook');
      const v = runbook(['verify', file, '--allowed-signers', join(dir, 'allowed')]);
      assert.equal(v.code, 0, v.out);
      assert.match(v.out, /seal intact and signer allowed/);
      // The record itself still verifies whole with the seal after its log, and reads back byte for byte.
      assert.deepEqual(verifyRecord(sealed).problems, []);
      assert.equal(serializeRunbook(parseRunbook(sealed)), sealed);
      assert.ok(parseRunbook(sealed).log, 'the log is still found before the seal');
    });
  }

  it('accepts a seal whose signature ssh-keygen -Y sign made (ed25519, RSA, ECDSA), and rejects another namespace', () => {
    const file = recordFile('rec-keygen.md');
    const payload = runbook(['seal', '--payload', file]).out;
    writeFileSync(join(dir, 'payload'), payload);
    for (const [key, ns] of [[ed, 'runbook'], [rsa, 'runbook'], [ec, 'runbook'], [ed, 'git']] as const) {
      rmSync(join(dir, 'payload.sig'), { force: true });
      assert.equal(sshKeygen(['-Y', 'sign', '-f', key, '-n', ns, join(dir, 'payload')]).code, 0);
      const armor = readFileSync(join(dir, 'payload.sig'), 'utf8').trimEnd().split('\n');
      writeFileSync(file, payload + renderSealBlock({ principal: 'bob@example.com', armor }, '\n') + '\n');
      writeFileSync(join(dir, 'allowed-bob'), `bob@example.com ${pub(key)}\n`);
      const v = runbook(['verify', file, '--allowed-signers', join(dir, 'allowed-bob')]);
      if (ns === 'runbook') assert.equal(v.code, 0, v.out);
      else {
        assert.equal(v.code, 1);
        assert.match(v.out, /seal broken: signed for namespace "git"/);
      }
    }
  });

  it('shows any edit after sealing as "seal broken", in verify and in the seal state', () => {
    const file = recordFile('rec-edit.md');
    assert.equal(runbook(['seal', file, '--key', ed, '--principal', 'alice@example.com']).code, 0);
    const sealed = readFileSync(file, 'utf8');
    assert.equal(sealState(sealed).state, 'intact');
    for (const edited of [sealed.replace('Disk full', 'Disk ful'), sealed.replace('# Disk', '\n# Disk'), `\n${sealed}`]) {
      const state = sealState(edited);
      assert.equal(state.state, 'broken');
      writeFileSync(file, edited);
      const v = runbook(['verify', file]);
      assert.equal(v.code, 1, v.out);
      assert.match(v.out, /seal broken: the record was changed after it was sealed/);
    }
    // Sealing again replaces the old seal (the payload excludes it).
    writeFileSync(file, sealed);
    assert.equal(runbook(['seal', file, '--key', rsa, '--principal', 'carol']).code, 0);
    const resealed = readFileSync(file, 'utf8');
    assert.equal(resealed.split('<!-- runbook:seal ').length, 2, 'one seal block');
    assert.equal(splitSeal(resealed).payload, splitSeal(sealed).payload);
  });

  it('decides allowed signers the way ssh-keygen does (principal patterns, namespaces, validity, other keys)', () => {
    const file = recordFile('rec-allowed.md');
    assert.equal(runbook(['seal', file, '--key', ed, '--principal', 'alice@example.com']).code, 0);
    const text = readFileSync(file, 'utf8');
    const key = decodeSignature(dearmor(armorOf(text))).publicKey;
    const cases = [
      `alice@example.com ${pub(ed)}`,
      `bob@example.com ${pub(ed)}`,
      `*@example.com ${pub(ed)}`,
      `*@example.com,!alice@example.com ${pub(ed)}`,
      `alice@example.com ${pub(rsa)}`,
      `alice@example.com namespaces="git" ${pub(ed)}`,
      `alice@example.com namespaces="git,run*" ${pub(ed)}`,
      `alice@example.com valid-before="20200101" ${pub(ed)}`,
      `alice@example.com valid-after="20990101Z" ${pub(ed)}`,
      `alice@example.com valid-after="20200101",valid-before="20990101" ${pub(ed)}`,
      `alice@example.com cert-authority ${pub(ed)}`,
      `# comment\n\nbob@example.com ${pub(rsa)}\n"alice@example.com" ${pub(ed)} trailing comment`,
      `al?ce@example.com ${pub(ed)}`,
    ];
    const payload = runbook(['seal', '--payload', file]).out;
    const verdicts: boolean[] = [];
    for (const [i, allowed] of cases.entries()) {
      const oracle = keygenVerify(file, `${allowed}\n`, 'alice@example.com', payload).code === 0;
      verdicts.push(oracle);
      const ours = isAllowed(parseAllowedSigners(allowed), 'alice@example.com', key, 'runbook').allowed;
      assert.equal(ours, oracle, `allowed_signers: ${allowed}`);
      if (i > 4) continue; // the CLI's verdict for a few of them (each is a process start)
      const v = runbook(['verify', file, '--allowed-signers', join(dir, 'allowed')]);
      assert.equal(v.code === 0, oracle, `${allowed}: ${v.out}`);
    }
    assert.ok(verdicts.includes(true) && verdicts.includes(false), 'both verdicts occur');
  });

  describe('keys from ssh-agent and passphrase-protected files', () => {
    let agent: ChildProcess | undefined;
    const sock = join(dir, 'agent.sock');
    before(async () => {
      agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
      for (let i = 0; i < 50 && spawnSync('ssh-add', ['-l'], { env: { ...process.env, SSH_AUTH_SOCK: sock } }).status === 2; i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
    });
    after(() => {
      agent?.kill();
    });

    it('signs with the key ssh-agent holds when no --key is given', () => {
      const agentKey = keygen('agent-key', 'ed25519');
      assert.equal(spawnSync('ssh-add', [agentKey], { env: { ...process.env, SSH_AUTH_SOCK: sock } }).status, 0, 'ssh-add');
      const file = recordFile('rec-agent.md');
      const r = runbook(['seal', file, '--principal', 'dave@example.com'], { SSH_AUTH_SOCK: sock, HOME: dir });
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /ssh-agent/);
      assert.equal(keygenVerify(file, `dave@example.com ${pub(agentKey)}\n`, 'dave@example.com').code, 0);
    });

    it('asks for the passphrase of an encrypted key on the terminal, without echo', () => {
      const key = keygen('locked', 'ed25519', 'correct horse');
      const file = recordFile('rec-locked.md');
      // A real pseudo-terminal (Python's pty): the passphrase is typed after the prompt appears.
      const py = `
import os, pty, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = b''
deadline = time.time() + 60
while b'passphrase' not in out and time.time() < deadline:
    out += os.read(fd, 1024)
os.write(fd, b'correct horse\\r')
while True:
    try:
        chunk = os.read(fd, 1024)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode('utf8', 'replace'))
sys.exit(os.waitstatus_to_exitcode(status))
`;
      const r = spawnSync('python3', ['-c', py, process.execPath, ...cli, 'seal', file, '--key', key, '--principal', 'erin'],
        { encoding: 'utf8', cwd: repoRoot, env: { ...process.env, SSH_AUTH_SOCK: '' } });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /Enter passphrase for .*locked/);
      assert.doesNotMatch(r.stdout, /correct horse/, 'the passphrase is not echoed');
      assert.equal(keygenVerify(file, `erin ${pub(key)}\n`, 'erin').code, 0);
      // Without a terminal the CLI says what to do instead of hanging.
      const plain = recordFile('rec-locked2.md');
      const no = runbook(['seal', plain, '--key', key, '--principal', 'erin']);
      assert.equal(no.code, 1);
      assert.match(no.err, /needs a passphrase: run on a terminal, or load the key into ssh-agent/);
    });
  });
});
