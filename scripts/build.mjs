// Bundles the extension and the CLI with esbuild. No native module may enter a bundle (DESIGN §2).
// The heavy libraries (ssh2, pg, mysql2, markdown-it, yaml, execa, the language client) are bundled separately into dist/vendor/ and
// required on first use (src/core/util/drivers.ts, src/providers/languageClient.ts): activating the
// extension or starting the CLI neither parses nor evaluates them.
import { build } from 'esbuild';
import { chmodSync, existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  // Error names and class names stay readable in messages and stack traces of the shipped build.
  keepNames: production,
  logLevel: 'warning',
  // Loading a .node file would break against VS Code's Electron ABI: fail the build instead.
  loader: { '.node': 'empty' },
  // import() becomes a require: execa (ESM-only) is imported dynamically in src, and in the bundles it is the
  // CommonJS file dist/vendor/execa.js, loaded on first use like the drivers.
  supported: { 'dynamic-import': false },
};

/** Package → file under dist/vendor/ it is bundled into. */
const VENDOR = { ssh2: 'ssh2', pg: 'pg', mysql2: 'mysql2', 'markdown-it': 'markdown-it', yaml: 'yaml', execa: 'execa', 'vscode-languageclient/node': 'languageclient' };

/** Resolves an import of a vendored package to `require('<dir>/<name>.js')`, relative to the output file. */
const vendorExternalFrom = (dir) => ({
  name: 'vendor-external',
  setup(b) {
    const filter = new RegExp(`^(${Object.keys(VENDOR).map((k) => k.replace(/[/.-]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter }, (args) => ({ path: `${dir}/${VENDOR[args.path]}.js`, external: true }));
  },
});
const vendorExternal = vendorExternalFrom('./vendor');

/**
 * The CLI's commands other than roundtrip, each its own file dist/cli/<name>.js that src/cli/main.ts loads when
 * that command runs: `runbook roundtrip` (and every start) parses only main, the format and its own code.
 */
const CLI_COMMANDS = ['cells', 'check', 'run', 'verify', 'seal', 'incident', 'drill', 'alertUrl'];
const cliCommandsExternal = {
  name: 'cli-commands',
  setup(b) {
    const filter = new RegExp(`^\\./(${CLI_COMMANDS.join('|')})\\.js$`);
    b.onResolve({ filter }, (args) => (/[\\/]src[\\/]cli[\\/]main\.ts$/.test(args.importer) ? { path: `./cli/${args.path.slice(2)}`, external: true } : undefined));
  },
};

for (const [pkg, name] of Object.entries(VENDOR)) {
  await build({
    ...common,
    stdin: { contents: `module.exports = require(${JSON.stringify(pkg)});`, resolveDir: process.cwd(), loader: 'js' },
    outfile: `dist/vendor/${name}.js`,
    external: ['vscode'],
  });
}
// The entry registers the serializer; the rest of the extension is its own file, loaded right after activation
// (src/extension.ts says why). Modules both use (the format) are in each file.
const partsExternal = {
  name: 'extension-parts',
  setup(b) {
    b.onResolve({ filter: /^\.\/extensionParts\.js$/ }, (args) => (/[\\/]src[\\/]extension\.ts$/.test(args.importer) ? { path: './extensionParts.js', external: true } : undefined));
  },
};
await build({ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [partsExternal, vendorExternal] });
await build({ ...common, entryPoints: ['src/extensionParts.ts'], outfile: 'dist/extensionParts.js', external: ['vscode'], plugins: [vendorExternal] });
if (existsSync('src/lsp/server.ts')) {
  await build({ ...common, entryPoints: ['src/lsp/server.ts'], outfile: 'dist/server.js' });
}
await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli.js',
  banner: { js: '#!/usr/bin/env node' },
  plugins: [cliCommandsExternal, vendorExternal],
});
chmodSync('dist/cli.js', 0o755);
await build({
  ...common,
  entryPoints: CLI_COMMANDS.map((c) => `src/cli/${c}.ts`),
  outdir: 'dist/cli',
  plugins: [vendorExternalFrom('../vendor')],
});
console.log('built dist/extension.js, dist/extensionParts.js, dist/server.js, dist/cli.js, dist/cli/ and dist/vendor/');
