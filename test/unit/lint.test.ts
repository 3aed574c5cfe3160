// The architecture lint rules really fire: the pure core never imports vscode, and imports run down the
// layers only (LAYERS in eslint.config.mjs).
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

  it('rejects an import that runs up the layers, for two layer pairs', () => {
    const up = [
      // an executor (ssh) importing the runner
      { file: 'src/core/ssh/x.ts', code: "import type { RunnerUi } from '../run/cellRunner.js';\nexport type X = RunnerUi;\n", area: 'src/core/run' },
      // the kernel importing the incident commands (an adapter above it)
      { file: 'src/kernel/x.ts', code: "import { registerIncidentCommands } from '../incident/incidentCommands.js';\nexport const x = registerIncidentCommands;\n", area: 'src/incident' },
      // the execution contract importing an executor
      { file: 'src/core/contract/x.ts', code: "import type { SqlExecutor } from '../sql/executor.js';\nexport type X = SqlExecutor;\n", area: 'src/core/sql' },
    ];
    for (const { file, code, area } of up) {
      const r = lint(file, code);
      assert.equal(r.status, 1, `${file}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout, new RegExp(`must not import ${area}, a higher layer`), r.stdout);
    }
  });

  it('allows the same imports downwards', () => {
    const down = [
      { file: 'src/core/run/x.ts', code: "import { SshPool } from '../ssh/pool.js';\nexport const x = SshPool;\n" },
      { file: 'src/incident/x.ts', code: "import { RunbookController } from '../kernel/runbookController.js';\nexport const x = RunbookController;\n" },
      { file: 'src/core/sql/x.ts', code: "import type { Executor } from '../contract/types.js';\nexport type X = Executor;\n" },
    ];
    for (const { file, code } of down) {
      const r = lint(file, code);
      assert.equal(r.status, 0, `${file}: ${r.stdout}${r.stderr}`);
    }
  });
});
