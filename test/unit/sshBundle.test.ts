// ssh2 in the esbuild bundle: native parts (sshcrypto.node, cpu-features) become empty modules (the build's
// `.node` loader), and the pure JavaScript fallbacks must carry a real session. The bundle runs in a child
// node that records every native addon load attempt: there must be none.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { Sshd, sshdSkipReason, startSshd } from '../harness/sshd.js';
import { requirement } from '../harness/requirement.js';

const skip = requirement(sshdSkipReason());
const repo = join(__dirname, '..', '..');

const ENTRY = `
const dlopened = [];
const realDlopen = process.dlopen;
process.dlopen = (module, file, ...rest) => { dlopened.push(String(file)); return realDlopen.call(process, module, file, ...rest); };
import { SshPool, resolveTarget, sshTransport } from ${JSON.stringify(join(repo, 'src/core/ssh/index.ts'))};
import { ShellSession } from ${JSON.stringify(join(repo, 'src/core/shell/session.ts'))};
const [port, key, knownHosts] = process.argv.slice(2);
const t = resolveTarget('b', { b: { ssh: 'rbtest@127.0.0.1', port: Number(port), identityFile: key } }, undefined, { homeDir: '/nonexistent', localUser: 'x' });
const pool = new SshPool({ ask: { confirmHostKey: async () => false, passphrase: async () => undefined }, knownHostsFiles: [knownHosts], agent: false });
const conn = pool.get(t.ssh);
const s = new ShellSession({ transport: sshTransport(conn) });
s.run('echo bundled; echo "$((6 * 7))"').then((r) => {
  console.log(JSON.stringify({ stdout: r.stdout, exitCode: r.exitCode, message: r.message, dlopened }));
  s.dispose();
  setTimeout(() => { pool.close(); process.exit(0); }, 200);
}, (e) => { console.log(JSON.stringify({ error: String(e), dlopened })); process.exit(1); });
`;

describe('ssh2 bundled by esbuild (pure JavaScript)', { skip }, () => {
  let sshd: Sshd;
  let dir: string;
  before(async () => {
    sshd = await startSshd();
    dir = mkdtempSync(join(tmpdir(), 'rb-bundle-'));
  });
  after(() => sshd?.dispose());

  it('connects and runs a cell with the native parts left out', async () => {
    writeFileSync(join(dir, 'entry.ts'), ENTRY);
    const outfile = join(dir, 'bundle.js');
    // The same options as scripts/build.mjs.
    await build({
      entryPoints: [join(dir, 'entry.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      loader: { '.node': 'empty' },
      logLevel: 'silent',
      nodePaths: [join(repo, 'node_modules')],
    });
    const code = readFileSync(outfile, 'utf8');
    assert.ok(code.includes('ChaChaPolyCipherNative'), 'ssh2 is in the bundle');
    const { stdout } = await promisify(execFile)(process.execPath, [outfile, String(sshd.port), sshd.userKey, sshd.knownHostsFile], { timeout: 20_000 });
    const out = JSON.parse(stdout.trim().split('\n').pop()!);
    assert.deepEqual(out.dlopened, [], 'no native addon loaded');
    assert.equal(out.exitCode, 0, out.message ?? out.error);
    assert.equal(out.stdout, 'bundled\n42\n');
  });
});
