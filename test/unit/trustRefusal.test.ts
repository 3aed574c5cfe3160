// The runner's own workspace-trust check (issue 16 point 2): in an untrusted workspace no cell runs, whatever
// asked for the run, and the refusal is the runner's own (its message and a `refuse` log row), not the
// absence of a side effect. The VS Code adapter answers `trusted()` with vscode.workspace.isTrusted; the
// e2e suite checks the palette path that VS Code does not gate (Start Tabletop Drill).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseRunbook, serializeRunbook } from '../../src/core/format/index.js';
import { CellRunner } from '../../src/core/run/cellRunner.js';
import { runDocument } from '../../src/core/run/documentRunner.js';
import { ShellExecutor } from '../../src/core/run/shellExecutor.js';
import { switchableRedactor } from '../../src/core/run/switchableRedactor.js';
import { targetResolver } from '../../src/core/run/targets.js';

const dir = mkdtempSync(join(tmpdir(), 'trust-refusal-'));
const executors: ShellExecutor[] = [];
after(() => {
  executors.forEach((e) => e.dispose());
  rmSync(dir, { recursive: true, force: true });
});

function runner(trusted: boolean, asked: string[]): CellRunner {
  const redactor = switchableRedactor();
  const shell = new ShellExecutor({ redact: redactor.redact, maxOutputBytes: 4096 });
  executors.push(shell);
  return new CellRunner({
    executors: { shell }, resolveTarget: targetResolver(), defaultTarget: () => 'local', operator: 'ci', redactor,
    ui: {
      trusted: () => trusted,
      askVariable: async (v) => { asked.push(`variable ${v.name}`); return 'x'; },
      confirm: async (q) => { asked.push(`confirm ${q}`); return true; },
    },
  });
}

describe('an untrusted workspace: the runner refuses by itself', () => {
  it('a bash cell is refused with the runner\'s message and a refuse row, and does not run', async () => {
    const marker = join(dir, 'plain');
    const asked: string[] = [];
    const outcome = await runner(false, asked).run({ source: `touch '${marker}'`, language: 'shellscript', attributes: {}, cellName: 'touch' }, undefined);
    assert.equal(outcome.status, 'refused');
    assert.equal(outcome.message, 'not run: the workspace is not trusted: nothing runs until you trust it');
    assert.equal(outcome.rows.length, 1);
    assert.equal(outcome.rows[0]!.event, 'refuse');
    assert.equal(outcome.rows[0]!.cell, 'touch');
    assert.ok(!existsSync(marker), 'the cell did not run');
    assert.deepEqual(asked, [], 'nothing was asked before the refusal');
  });

  it('neither a variable prompt nor a confirmation comes before the refusal (a destructive cell with a variable)', async () => {
    const marker = join(dir, 'destructive');
    const asked: string[] = [];
    const outcome = await runner(false, asked).run(
      { source: `rm -rf "$SCRATCH_DIR/none"; touch '${marker}'`, language: 'shellscript', attributes: {}, cellName: 'wipe' },
      { variables: { SCRATCH_DIR: { prompt: 'where' } } } as never);
    assert.equal(outcome.status, 'refused');
    assert.deepEqual(asked, []);
    assert.ok(!existsSync(marker));
  });

  it('Run All of a record: every cell refused, the refusal is in the saved execution log, no output is written', async () => {
    const marker = join(dir, 'run-all');
    const doc = parseRunbook(`# T\n\n\`\`\`bash {name=one}\ntouch '${marker}-1'\n\`\`\`\n\n\`\`\`bash {name=two}\ntouch '${marker}-2'\n\`\`\`\n`);
    await runDocument(doc, runner(false, []), { all: true, stopOnError: false });
    const saved = parseRunbook(serializeRunbook(doc));
    const refusals = saved.log?.rows.filter((r) => r.event === 'refuse') ?? [];
    assert.deepEqual(refusals.map((r) => r.cell), ['one', 'two']);
    assert.ok(refusals.every((r) => r.detail?.includes('not trusted')), JSON.stringify(refusals));
    assert.equal(saved.log?.rows.filter((r) => r.event === 'run').length, 0);
    assert.ok(!existsSync(`${marker}-1`) && !existsSync(`${marker}-2`));
  });

  it('the same cell runs when the workspace is trusted (the check above is what stops it)', async () => {
    const marker = join(dir, 'trusted');
    const outcome = await runner(true, []).run({ source: `touch '${marker}'`, language: 'shellscript', attributes: {}, cellName: 'touch' }, undefined);
    assert.equal(outcome.status, 'ran', outcome.message);
    assert.ok(existsSync(marker));
  });
});
