// The pure core must never import vscode: the lint rule that enforces it really fires.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from './helpers.js';

function lint(file: string, code: string) {
  return spawnSync(process.execPath, [join(repoRoot, 'node_modules/eslint/bin/eslint.js'), '--stdin', '--stdin-filename', file],
    { input: code, encoding: 'utf8', cwd: repoRoot });
}

describe('architecture lint', () => {
  it('rejects a vscode import in the core and the CLI', () => {
    for (const file of ['src/core/format/x.ts', 'src/cli/x.ts']) {
      const r = lint(file, "import * as vscode from 'vscode';\nexport const x = vscode;\n");
      assert.equal(r.status, 1, `${file}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout, /must not import vscode/);
    }
  });

  it('allows it in the VS Code adapters', () => {
    const r = lint('src/notebook/x.ts', "import * as vscode from 'vscode';\nexport const x = vscode;\n");
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });
});
