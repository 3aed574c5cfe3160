// A log row's digest is recomputed from what ran and what it printed: run real bash cells, save the record,
// and recompute each run row's digest from the cell's command and the output blocks in the saved file with
// the public digest function. A digest that hashes nothing (a constant, or only one of the two) fails here.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { parseRunbook, serializeRunbook, type CodeCell } from '../../src/core/format/index.js';
import { digestOf } from '../../src/core/log/chain.js';
import { CellRunner } from '../../src/core/run/cellRunner.js';
import { runDocument } from '../../src/core/run/documentRunner.js';
import { ShellExecutor } from '../../src/core/run/shellExecutor.js';
import { switchableRedactor } from '../../src/core/run/switchableRedactor.js';
import { targetResolver } from '../../src/core/run/targets.js';

const executors: ShellExecutor[] = [];
after(() => executors.forEach((e) => e.dispose()));

async function runAndSave(text: string): Promise<string> {
  const redactor = switchableRedactor();
  const shell = new ShellExecutor({ redact: redactor.redact, maxOutputBytes: 4096 });
  executors.push(shell);
  const runner = new CellRunner({
    executors: { shell }, resolveTarget: targetResolver(), defaultTarget: () => 'local', operator: 'ci', redactor,
    ui: { trusted: () => true, askVariable: async () => undefined, confirm: async () => true },
  });
  const doc = parseRunbook(text);
  await runDocument(doc, runner, { all: true, stopOnError: false });
  return serializeRunbook(doc);
}

/** [cell source, printed output, row digest] for each run row of a saved record. */
function recomputable(saved: string): { command: string; printed: string; digest: string }[] {
  const doc = parseRunbook(saved);
  const cells = doc.cells.filter((c): c is CodeCell => c.kind === 'code');
  return doc.log!.rows.filter((r) => r.event === 'run').map((r) => {
    const cell = cells.find((c) => c.attributes.name === r.cell)!;
    return { command: cell.source, printed: cell.outputs.map((o) => o.text).join(''), digest: r.digest };
  });
}

const RUNBOOK = `# Digests

\`\`\`bash {name=one}
echo "disk 91%"
\`\`\`

\`\`\`bash {name=two}
printf 'a\\nb\\n'; echo err >&2; exit 3
\`\`\`

\`\`\`bash {name=three}
echo "disk 91%"
echo again
\`\`\`
`;

describe('log digests are recomputed from command and output', () => {
  it('every run row of a saved record matches the digest of its cell source and printed output', async () => {
    const saved = await runAndSave(RUNBOOK);
    const rows = recomputable(saved);
    assert.equal(rows.length, 3);
    for (const r of rows) {
      assert.ok(r.printed.length > 0, 'the cell printed something');
      assert.equal(digestOf(r.command, r.printed), r.digest, `recomputed digest of ${JSON.stringify(r.command)}`);
    }
    assert.equal(new Set(rows.map((r) => r.digest)).size, 3, 'different cells have different digests');
  });

  it('an edited output in the saved file no longer matches its row digest', async () => {
    const saved = await runAndSave(RUNBOOK);
    const edited = saved.replace('disk 91%\n```', 'disk 19%\n```');
    assert.notEqual(edited, saved);
    const row = recomputable(edited).find((r) => r.printed.includes('disk 19%'))!;
    assert.notEqual(digestOf(row.command, row.printed), row.digest);
  });

  it('the digest depends on the command, on the output, and on where one ends and the other begins', () => {
    const base = digestOf('echo hi', 'hi\n');
    assert.equal(digestOf('echo hi', 'hi\n'), base, 'deterministic');
    assert.notEqual(digestOf('echo hj', 'hi\n'), base, 'command');
    assert.notEqual(digestOf('echo hi', 'hj\n'), base, 'output');
    assert.notEqual(digestOf('echo hi', 'hi\n\n'), base, 'a trailing newline of output');
    assert.notEqual(digestOf('echo hih', 'i\n'), base, 'boundary between command and output');
    assert.notEqual(digestOf('', ''), digestOf(' ', ''));
    assert.notEqual(digestOf('', 'x'), digestOf('x', ''));
    assert.match(base, /^[0-9a-f]{16,}$/, 'hex, at least 64 bits');
  });
});
