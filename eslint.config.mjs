// Lint rules. Two architecture rules, both through no-restricted-imports:
// - the pure core (src/core) and the CLI must never import 'vscode': they run in plain Node for the CLI
//   and unit tests;
// - imports run down the layers only (LAYERS below, in the style of vscode-jupyter's import zones): a
//   file may import its own layer or any layer below, never one above.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NO_VSCODE = { name: 'vscode', message: 'The pure core must not import vscode (DESIGN §2).' };

/**
 * From the bottom up. An area is a folder under src/ (or extension.ts with extensionParts.ts). Folders of one layer may import
 * each other; README "Layout" and docs/DESIGN-NOTES.md "Layers" describe them.
 */
export const LAYERS = [
  ['core/format', 'core/util'],
  ['core/contract', 'core/redact', 'core/safety', 'core/log'],
  // core/runbook answers questions about the parsed runbook (which connection, targets, variables, record
  // kind, operator); it sits with the executors because the SQL/PromQL executors ask it which connection.
  ['core/shell', 'core/prompt', 'core/ssh', 'core/sql', 'core/http', 'core/prometheus', 'core/runbook'],
  ['core/run', 'core/fleet'],
  ['core/incident', 'core/drill', 'core/check', 'core/seal', 'core/record'],
  ['cli', 'lsp', 'notebook', 'kernel'],
  ['providers', 'incident'],
  ['extension'],
];

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** A regex for the import specifiers that reach, from a file directly in area `from`, into area `to`. */
function reach(from, to) {
  const inCore = (a) => a.startsWith('core/');
  const target = inCore(to) ? to.slice('core/'.length) : to;
  const spec = inCore(from) === inCore(to) ? `../${target}` : inCore(from) ? `../../${target}` : `../core/${target}`;
  // The extension layer is two files: extension.ts (the entry) and extensionParts.ts (all else).
  return to === 'extension' ? `^${escape(spec)}(Parts)?(\\.js)?$` : `^${escape(spec)}(/|$)`;
}

function layerRules() {
  return LAYERS.flatMap((layer, i) => layer.filter((a) => a !== 'extension').map((area) => {
    const above = LAYERS.slice(i + 1).flat();
    const patterns = above.map((to) => ({
      regex: reach(area, to),
      message: `Layers: src/${area} must not import src/${to}, a higher layer (see LAYERS in eslint.config.mjs).`,
    }));
    const pure = area.startsWith('core/') || area === 'cli';
    return {
      files: [`src/${area}/**/*.ts`],
      rules: { 'no-restricted-imports': ['error', { ...(pure ? { paths: [NO_VSCODE] } : {}), patterns }] },
    };
  }));
}

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', '.vscode-test/**', 'node_modules/**', 'test/e2e/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  { files: ['test/unit/**/*.ts', 'bench/**/*.ts'], rules: { 'no-restricted-imports': ['error', { paths: [NO_VSCODE] }] } },
  ...layerRules(),
  { files: ['**/*.mjs', '**/*.cjs', '**/*.js'], languageOptions: { globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly' } } },
);
