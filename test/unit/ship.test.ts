// Issue 18 §2: the CLI ships twice. As an npm package whose tarball installs with `npm install -g` (offline:
// it has no dependencies, everything is bundled into cli.js) and runs on a machine with only Node; and
// inside the extension, with a `runbook` launcher put on the PATH like VS Code's `code` command.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseRunbook } from '../../src/core/format/index.js';
import { exportHtml } from '../../src/core/incident/index.js';
import { installLauncher, LAUNCHER_MARK } from '../../src/core/install/cliLauncher.js';
import { verifyText } from '../../src/core/seal/verifyText.js';
import { repoRoot } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'rb-ship-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
// Only Node on PATH (and the basic tools /bin/sh needs): nothing of the repository or its node_modules.
const nodeOnlyPath = `${dirname(process.execPath)}:/usr/bin:/bin`;
let tarball = '';

before(() => {
  const out = execFileSync(process.execPath, ['scripts/pack-cli.mjs'], { cwd: repoRoot, encoding: 'utf8' });
  tarball = join(repoRoot, out.trim().split('\n').pop()!);
});

describe('the npm package of the CLI', () => {
  it('is self-contained: a shebang, no dependencies, no require of a package outside the bundle', () => {
    assert.ok(existsSync(tarball), tarball);
    const cli = readFileSync(join(repoRoot, 'dist/npm/cli.js'), 'utf8');
    assert.ok(cli.startsWith('#!/usr/bin/env node\n'));
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'dist/npm/package.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(pkg.bin, { runbook: 'cli.js' });
    assert.equal(pkg.dependencies, undefined);
    // Optional requires of bundled libraries, each inside try/catch: pg-native (pg's native binding, only for
    // pg.native, never used) and cardinal (mysql2's debug highlighter).
    const optional = new Set(['pg-native', 'cardinal']);
    const vendor = readdirSync(join(repoRoot, 'dist/npm/vendor')).filter((f) => f.endsWith('.js'));
    // Each command but roundtrip is its own file under cli/ (scripts/build.mjs).
    const commands = readdirSync(join(repoRoot, 'dist/npm/cli')).filter((f) => f.endsWith('.js'));
    const ours = [cli, ...commands.map((f) => readFileSync(join(repoRoot, 'dist/npm/cli', f), 'utf8'))].join('\n');
    const code = [ours, ...vendor.map((f) => readFileSync(join(repoRoot, 'dist/npm/vendor', f), 'utf8'))].join('\n');
    for (const m of ours.matchAll(/require\("\.{1,2}\/vendor\/([^"]+)"\)/g)) assert.ok(vendor.includes(m[1]!), `vendor/${m[1]} is in the package`);
    for (const m of cli.matchAll(/require\("\.\/cli\/([^"]+)"\)/g)) assert.ok(commands.includes(m[1]!), `cli/${m[1]} is in the package`);
    const external = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!).filter((m) => !/^(\.\/|\.\.\/)(vendor|cli)\//.test(m))
      .filter((m) => !m.startsWith('node:') && !builtinModules.includes(m) && !optional.has(m));
    assert.deepEqual(external, [], 'only Node built-ins are required at run time');
  });

  it('installs with npm install -g (offline) and runs runbook --help, verify and drill list with only Node', () => {
    const prefix = join(tmp, 'global');
    const r = spawnSync('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const bin = join(prefix, 'bin', 'runbook');
    const env = { PATH: nodeOnlyPath, HOME: tmp };
    const help = spawnSync(bin, ['--help'], { cwd: tmp, env, encoding: 'utf8' });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /usage: runbook <command>/);
    assert.match(help.stdout, /verify FILE/);
    // The drivers load from the package alone (no node_modules anywhere above it).
    const installed = join(prefix, 'lib', 'node_modules', 'runbook-notebooks');
    const load = spawnSync(process.execPath, ['-e', `for (const f of ['ssh2', 'pg', 'mysql2', 'markdown-it']) require(${JSON.stringify(installed)} + '/vendor/' + f + '.js')`],
      { cwd: tmp, env, encoding: 'utf8' });
    assert.equal(load.status, 0, load.stderr);
    const list = spawnSync(bin, ['drill', 'list'], { cwd: tmp, env, encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /runbook: cvd-incident-response\.runbook\.md/);
    const plain = join(tmp, 'plain.runbook.md');
    writeFileSync(plain, '# Plain\n\n```bash\necho hi\n```\n');
    const verify = spawnSync(bin, ['verify', plain], { cwd: tmp, env, encoding: 'utf8' });
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  });
});

describe('Install Command-Line Tool (the launcher)', () => {
  const home = join(tmp, 'home');
  const cliPath = join(repoRoot, 'dist/npm/cli.js');

  it('puts runbook into a bin folder on PATH; it runs with the editor runtime and no node on PATH', () => {
    mkdirSync(join(home, 'bin'), { recursive: true });
    const r = installLauncher({ cliPath, runtime: process.execPath, home, pathEnv: `${join(home, 'bin')}:/usr/bin:/bin` });
    assert.equal(r.file, join(home, 'bin', 'runbook'));
    assert.equal(r.onPath, true);
    assert.equal(r.pathHint, undefined);
    // /usr/bin:/bin only: if node is there, the launcher must still prefer the runtime it was given.
    const run = spawnSync('runbook', ['--help'], { env: { PATH: `${join(home, 'bin')}:/usr/bin:/bin`, HOME: home }, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /usage: runbook <command>/);
  });

  it('when no folder is on PATH, uses ~/.local/bin and says what to add to PATH; reinstalling replaces its own launcher', () => {
    const home2 = join(tmp, 'home2');
    mkdirSync(home2);
    const r = installLauncher({ cliPath, runtime: process.execPath, home: home2, pathEnv: '/usr/bin:/bin', dirs: [join(home2, '.local', 'bin'), join(tmp, 'not-writable-missing', 'x')] });
    assert.equal(r.file, join(home2, '.local', 'bin', 'runbook'));
    assert.equal(r.onPath, false);
    assert.match(r.pathHint!, /export PATH="\$HOME\/\.local\/bin:\$PATH"/);
    assert.ok(readFileSync(r.file, 'utf8').includes(LAUNCHER_MARK));
    const again = installLauncher({ cliPath, runtime: process.execPath, home: home2, pathEnv: '/usr/bin:/bin', dirs: [join(home2, '.local', 'bin')] });
    assert.equal(again.replaced, true);
  });

  it('never replaces a runbook it did not install, and says when the extension moved', () => {
    const home3 = join(tmp, 'home3');
    mkdirSync(join(home3, 'bin'), { recursive: true });
    writeFileSync(join(home3, 'bin', 'runbook'), '#!/bin/sh\necho someone else\n');
    assert.throws(() => installLauncher({ cliPath, runtime: process.execPath, home: home3, pathEnv: join(home3, 'bin'), dirs: [join(home3, 'bin')] }),
      /was not installed by Runbook Notebooks/);
    assert.equal(readFileSync(join(home3, 'bin', 'runbook'), 'utf8'), '#!/bin/sh\necho someone else\n');
    const gone = installLauncher({ cliPath: join(tmp, 'old-version', 'cli.js'), runtime: process.execPath, home: home3, pathEnv: '', dirs: [join(home3, 'other')] });
    const run = spawnSync(gone.file, ['--help'], { env: { PATH: '/usr/bin:/bin' }, encoding: 'utf8' });
    assert.equal(run.status, 127);
    assert.match(run.stderr, /Install Command-Line Tool/);
  });
});

describe('Verify Record', () => {
  it('reports what runbook verify reports, and the exported HTML names both the command and runbook verify', () => {
    const plain = join(tmp, 'v.runbook.md');
    const text = '# V\n\n```bash\necho hi\n```\n';
    writeFileSync(plain, text);
    const cli = spawnSync(process.execPath, [join(repoRoot, 'dist/npm/cli.js'), 'verify', plain], { encoding: 'utf8' });
    const report = verifyText(text);
    assert.equal(cli.status, report.ok ? 0 : 1);
    assert.equal(cli.stdout, report.lines.map((l) => `${plain}: ${l}\n`).join(''));
    const bad = join(tmp, 'bad.runbook.md');
    const badText = '---\nincident:\n  id: INC-1\n---\n# V\n';
    writeFileSync(bad, badText);
    const badReport = verifyText(badText);
    assert.equal(badReport.ok, false);
    assert.match(badReport.lines.join('\n'), /no execution log in an incident record/);
    const badCli = spawnSync(process.execPath, [join(repoRoot, 'dist/npm/cli.js'), 'verify', bad], { encoding: 'utf8' });
    assert.equal(badCli.status, 1);
    assert.equal(badCli.stdout, badReport.lines.map((l) => `${bad}: ${l}\n`).join(''));
    const html = exportHtml(parseRunbook(text), {});
    assert.match(html, /Runbook: Verify Record/);
    assert.match(html, /runbook verify FILE/);
  });
});

describe('the .vsix a user installs', () => {
  it('holds the CLI, every sample and drill file, the icon, the changelog and the user README; vsce prints no warning', () => {
    // scripts/check-vsix.sh packages with vsce and fails on any warning or missing file (see the script).
    const r = spawnSync('bash', ['scripts/check-vsix.sh'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const icon = readFileSync(join(repoRoot, 'media/icon.png'));
    assert.equal(icon.subarray(1, 4).toString('latin1'), 'PNG');
    assert.deepEqual([icon.readUInt32BE(16), icon.readUInt32BE(20)], [128, 128]);
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { icon: string; scripts: Record<string, string> };
    assert.equal(pkg.icon, 'media/icon.png');
    assert.match(pkg.scripts.package!, /--readme-path docs\/EXTENSION-README\.md/);
  });
});
