// Builds the npm package of the `runbook` CLI: dist/npm/ holds the bundled cli.js (every dependency inside
// it and in vendor/, so the package has none and `npm install -g` needs no registry), the samples with their drill
// scenarios (for `runbook drill`), a README and the licence; `npm pack` writes dist/runbook-notebooks-VERSION.tgz.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
execFileSync(process.execPath, ['scripts/build.mjs', '--production'], { stdio: 'inherit' });
const ext = JSON.parse(readFileSync('package.json', 'utf8'));
const out = join('dist', 'npm');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
copyFileSync('dist/cli.js', join(out, 'cli.js'));
chmodSync(join(out, 'cli.js'), 0o755);
// Each command but roundtrip is its own file under cli/, loaded when it runs (scripts/build.mjs).
mkdirSync(join(out, 'cli'));
const commands = readdirSync(join('dist', 'cli')).filter((f) => f.endsWith('.js'));
for (const f of commands) copyFileSync(join('dist', 'cli', f), join(out, 'cli', f));
// The drivers (ssh2, pg, mysql2, …) are bundled into vendor/ and loaded on first use (scripts/build.mjs).
// Only those the CLI requires (the language client is the extension's).
mkdirSync(join(out, 'vendor'));
for (const js of ['dist/cli.js', ...commands.map((f) => join('dist', 'cli', f))]) {
  for (const [, file] of readFileSync(js, 'utf8').matchAll(/require\("\.{1,2}\/vendor\/([^"]+)"\)/g)) {
    copyFileSync(join('dist', 'vendor', file), join(out, 'vendor', file));
  }
}
cpSync('samples', join(out, 'samples'), { recursive: true });
if (existsSync('LICENSE')) copyFileSync('LICENSE', join(out, 'LICENSE'));
copyFileSync('docs/CLI-README.md', join(out, 'README.md'));
writeFileSync(join(out, 'package.json'), `${JSON.stringify({
  name: ext.name,
  version: ext.version,
  description: 'The runbook command line: check, run, verify, seal and drill *.runbook.md incident runbooks (the CLI of the Runbook Notebooks VS Code extension).',
  license: ext.license,
  repository: ext.repository,
  keywords: ext.keywords,
  bin: { runbook: 'cli.js' },
  files: ['cli.js', 'cli', 'vendor', 'samples', 'README.md', 'LICENSE'],
  engines: { node: ext.engines.node },
  // No dependencies: esbuild bundled them into cli.js.
}, null, 2)}\n`);
const tarball = execFileSync('npm', ['pack', '--pack-destination', '..', '--silent'], { cwd: out, encoding: 'utf8' }).trim().split('\n').pop();
console.log(`dist/${tarball}`);
