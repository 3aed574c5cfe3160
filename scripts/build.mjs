// Bundles the extension and the CLI with esbuild. No native module may enter a bundle (DESIGN §2).
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
  logLevel: 'warning',
  // Loading a .node file would break against VS Code's Electron ABI: fail the build instead.
  loader: { '.node': 'empty' },
};

await build({ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] });
if (existsSync('src/lsp/server.ts')) {
  await build({ ...common, entryPoints: ['src/lsp/server.ts'], outfile: 'dist/server.js' });
}
await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli.js',
  banner: { js: '#!/usr/bin/env node' },
});
chmodSync('dist/cli.js', 0o755);
console.log('built dist/extension.js, dist/server.js and dist/cli.js');
