// The run layer shared by the extension and the CLI, against real bash: trust, confirmation, variables,
// stamped outputs, log rows, and secrets that never reach the saved record.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { parseRunbook, serializeRunbook, type CodeCell } from '../../src/core/format/index.js';
import { verifyChain } from '../../src/core/log/chain.js';
import { CellRunner, type RunnerUi } from '../../src/core/run/cellRunner.js';
import { runDocument } from '../../src/core/run/documentRunner.js';
import { ShellExecutor } from '../../src/core/run/shellExecutor.js';
import { switchableRedactor } from '../../src/core/run/switchableRedactor.js';
import { targetResolver } from '../../src/core/run/targets.js';

const executors: ShellExecutor[] = [];
after(() => executors.forEach((e) => e.dispose()));

function setup(ui: Partial<RunnerUi> = {}, variables: Record<string, string> = {}) {
  const redactor = switchableRedactor();
  const shell = new ShellExecutor({ redact: redactor.redact, maxOutputBytes: 4096 });
  executors.push(shell);
  const asked: string[] = [];
  const confirmations: string[] = [];
  const runner = new CellRunner({
    executors: { shell }, resolveTarget: targetResolver(), defaultTarget: () => 'local', operator: 'alice', redactor,
    variables,
    ui: {
      trusted: () => true,
      askVariable: async (v) => { asked.push(v.name); return `answer-for-${v.name}`; },
      confirm: async (q) => { confirmations.push(q); return true; },
      ...ui,
    },
  });
  return { runner, asked, confirmations };
}

const RUNBOOK = `---
variables:
  SERVICE: { default: cvd }
  API_TOKEN: { prompt: API token, secret: true }
---
# Drill

\`\`\`bash {name=setup}
export INCIDENT_ID=INC-7
echo "service=$SERVICE"
\`\`\`

\`\`\`yaml
not: run
\`\`\`

\`\`\`bash {name=leak}
echo "id=$INCIDENT_ID token=$API_TOKEN"
HALF=abcdefghijklmnopq
echo "Authorization: Bearer \${HALF}rstuvwxyz0123456789"
echo "aws_secret_access_key=wJalrXUtnFEMI/\${HALF}/bPxRfiCYEXAMPLEKEY" >&2
\`\`\`

\`\`\`bash {name=restart}
sudo systemctl restart cvd || echo "would restart"
\`\`\`
`;

describe('running a runbook headless', () => {
  it('carries state, asks a secret once, redacts it and token shapes before the record, and chains the log', async () => {
    const { runner, asked, confirmations } = setup();
    const doc = parseRunbook(RUNBOOK);
    const summary = await runDocument(doc, runner, { all: true, stopOnError: false });
    assert.deepEqual(summary, { ran: 3, failed: 0, skipped: 1 });
    assert.deepEqual(asked, ['API_TOKEN']);
    assert.equal(confirmations.length, 1);
    assert.equal(confirmations[0]!, 'Run "restart" on this machine?');
    const cells = doc.cells.filter((c): c is CodeCell => c.kind === 'code');
    assert.equal(cells[0]!.outputs[0]!.text, 'service=cvd\n');
    assert.equal(cells[0]!.outputs[0]!.meta.exit, 0);
    assert.equal(cells[0]!.outputs[0]!.meta.cell, 'setup');
    assert.equal(typeof cells[0]!.outputs[0]!.meta.started, 'string');
    assert.equal(cells[1]!.outputs.length, 0, 'yaml cells are not run');
    const saved = serializeRunbook(doc);
    assert.ok(!saved.includes('answer-for-API_TOKEN'), 'the secret value never reaches the file');
    assert.ok(!saved.includes('abcdefghijklmnopqrstuvwxyz0123456789'), 'bearer tokens are redacted');
    assert.ok(!saved.includes('wJalrXUtnFEMI/abcdefghijklmnopq'), 'AWS secret keys are redacted');
    assert.match(saved, /id=INC-7 token=\[REDACTED:API_TOKEN\]/);
    const again = parseRunbook(saved);
    assert.deepEqual(again.log!.rows.map((r) => [r.cell, r.event, r.exit, r.operator]),
      [['setup', 'run', 0, 'alice'], ['leak', 'run', 0, 'alice'], ['restart', 'confirm', null, 'alice'], ['restart', 'run', cells[2]!.outputs[0]!.meta.exit, 'alice']]);
    assert.deepEqual(verifyChain(again.log!.rows), { ok: true });
  });

  it('records a declined confirmation and runs nothing', async () => {
    const { runner } = setup({ confirm: async () => false });
    const doc = parseRunbook('```bash {name=wipe}\nrm -rf /tmp/runbook-test-never-created\necho ran\n```\n');
    const summary = await runDocument(doc, runner, { all: true, stopOnError: true });
    assert.deepEqual(summary, { ran: 0, failed: 1, skipped: 0, stoppedAt: 'wipe' });
    assert.equal((doc.cells[0] as CodeCell).outputs.length, 0);
    assert.deepEqual(doc.log!.rows.map((r) => [r.event, r.detail]), [['decline', 'line 1: rm -r/-f']]);
  });

  it('refuses everything in an untrusted workspace and says so in the log', async () => {
    const { runner } = setup({ trusted: () => false });
    const doc = parseRunbook('```bash {name=a}\necho ran\n```\n');
    await runDocument(doc, runner, { all: true });
    assert.equal((doc.cells[0] as CodeCell).outputs.length, 0);
    assert.equal(doc.log!.rows[0]!.event, 'refuse');
    assert.match(doc.log!.rows[0]!.detail!, /not trusted/);
  });

  it('refuses when a needed variable is not given, and an unknown host', async () => {
    const { runner } = setup({ askVariable: async () => undefined });
    const doc = parseRunbook('---\nvariables:\n  X: { prompt: x }\n---\n```bash {name=a}\necho $X\n```\n\n```bash {name=b host=nowhere}\necho hi\n```\n');
    await runDocument(doc, runner, { all: true });
    assert.deepEqual(doc.log!.rows.map((r) => [r.cell, r.event]), [['a', 'refuse'], ['b', 'refuse']]);
    assert.match(doc.log!.rows[0]!.detail!, /variable X is needed/);
    assert.match(doc.log!.rows[1]!.detail!, /unknown host "nowhere"/);
  });

  it('stops a run-all at the first failing cell', async () => {
    const { runner } = setup();
    const doc = parseRunbook('```bash {name=a}\nfalse\n```\n\n```bash {name=b}\necho b\n```\n');
    const summary = await runDocument(doc, runner, { all: true, stopOnError: true });
    assert.equal(summary.stoppedAt, 'a');
    assert.equal((doc.cells[1] as CodeCell).outputs.length, 0);
  });

  it('applies the timeout= attribute and records the timeout', async () => {
    const { runner } = setup();
    const doc = parseRunbook('```bash {name=slow timeout=300ms}\nsleep 20\n```\n');
    const started = Date.now();
    await runDocument(doc, runner, { all: true });
    assert.ok(Date.now() - started < 5000, 'the timeout stopped the cell');
    assert.equal(doc.log!.rows[0]!.event, 'timeout');
  });

  it('--continue-on-error goes on after a failed step, not after a timed-out one (as Run All)', async () => {
    const { runner } = setup();
    const doc = parseRunbook('```bash {name=fails}\nexit 3\n```\n\n```bash {name=slow timeout=300ms}\nsleep 20\n```\n\n```bash {name=after}\necho after\n```\n');
    const summary = await runDocument(doc, runner, { all: true, stopOnError: false });
    assert.deepEqual(summary, { ran: 2, failed: 2, skipped: 0, stoppedAt: 'slow' });
    assert.deepEqual(doc.log!.rows.map((r) => [r.cell, r.event]), [['fails', 'run'], ['slow', 'timeout']]);
    assert.equal(doc.cells.filter((c): c is CodeCell => c.kind === 'code')[2]!.outputs.length, 0, 'the step after the timeout did not run');
  });

  it('names unknown cells', async () => {
    const { runner } = setup();
    await assert.rejects(runDocument(parseRunbook('```bash {name=a}\nls\n```\n'), runner, { names: ['b'] }), /no cell named "b" \(names: a\)/);
  });
});
