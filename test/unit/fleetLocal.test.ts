// Fan-out pacing with a scripted host run (exact batch and concurrency bookkeeping), and $RUNBOOK_TARGET in
// local sessions (single host and a group of one), without sshd.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkRunbook } from '../../src/core/check/index.js';
import { fanOut, type HostOutcome } from '../../src/core/fleet/fanOut.js';
import { groupTarget } from '../../src/core/fleet/groupRun.js';
import { confirmationNeeded, confirmationPrompt } from '../../src/core/run/confirmPolicy.js';
import { CellRunner } from '../../src/core/run/cellRunner.js';
import { ShellExecutor } from '../../src/core/run/shellExecutor.js';
import { switchableRedactor } from '../../src/core/run/switchableRedactor.js';
import { targetResolver } from '../../src/core/run/targets.js';

const hosts = Array.from({ length: 10 }, (_, i) => `h${i}`);

describe('fanOut pacing', () => {
  it('runs batches one after another with at most forks hosts at once', async () => {
    let running = 0;
    let peak = 0;
    const order: string[] = [];
    const done = await fanOut(hosts, { forks: 2, batch: 4 }, async (name): Promise<HostOutcome<null>> => {
      order.push(`+${name}`);
      peak = Math.max(peak, ++running);
      await new Promise((r) => setImmediate(r));
      running--;
      order.push(`-${name}`);
      return { name, status: 'ok' };
    });
    assert.equal(peak, 2);
    assert.equal(done.hosts.every((h) => h.status === 'ok'), true);
    // Nothing of batch 2 (h4..h7) starts before every host of batch 1 ended.
    assert.ok(order.indexOf('+h4') > Math.max(...['h0', 'h1', 'h2', 'h3'].map((h) => order.indexOf(`-${h}`))));
  });
  it('stops later batches past max_fail, and a thrown host run fails that host alone', async () => {
    const done = await fanOut(hosts, { forks: 5, batch: 3, maxFail: 1 }, async (name): Promise<HostOutcome<null>> => {
      if (name === 'h1') throw new Error('boom');
      return { name, status: name === 'h4' ? 'failed' : 'ok' };
    });
    assert.deepEqual(done.hosts.map((h) => h.status), ['ok', 'failed', 'ok', 'ok', 'failed', 'ok', 'not run', 'not run', 'not run', 'not run']);
    assert.equal(done.hosts[1]!.reason, 'boom');
    assert.match(done.stopped!, /2 hosts failed, more than max_fail allows \(1\)/);
  });
  it('a cancelled run starts no further host', async () => {
    const abort = new AbortController();
    const done = await fanOut(hosts, { forks: 1, batch: 10 }, async (name): Promise<HostOutcome<null>> => {
      if (name === 'h2') abort.abort();
      return { name, status: 'ok' };
    }, { signal: abort.signal });
    assert.deepEqual(done.hosts.filter((h) => h.status === 'ok').map((h) => h.name), ['h0', 'h1', 'h2']);
    assert.equal(done.hosts[3]!.reason, 'cancelled');
  });
});

describe('$RUNBOOK_TARGET', () => {
  it('is set in a single-host session and in each session of a group', async () => {
    const redactor = switchableRedactor();
    const shell = new ShellExecutor({ redact: redactor.redact });
    try {
      const runner = new CellRunner({
        executors: { shell }, resolveTarget: targetResolver(), defaultTarget: () => 'local', operator: 't', redactor,
        ui: { askVariable: async () => undefined, confirm: async () => true, trusted: () => true },
      });
      const single = await runner.run({ source: 'echo "target=$RUNBOOK_TARGET"', language: 'shellscript', attributes: {}, cellName: 'a' }, undefined);
      assert.equal(single.outputs![0]!.text, 'target=local\n');
      const live: string[] = [];
      const group = await runner.run({ source: 'echo "target=$RUNBOOK_TARGET"', language: 'shellscript', attributes: { host: 'me' }, cellName: 'b' },
        { groups: { me: ['local'] } }, { onStdout: (s) => live.push(s) });
      assert.deepEqual(live, ['local: ok\n'], 'each host is reported live as it finishes');
      assert.equal(group.ok, true, group.message);
      assert.equal(group.outputs![1]!.text, '---------------\nlocal (1)\n---------------\ntarget=local\n');
      assert.equal(group.rows.at(-1)!.target, 'group me (1 host)');
    } finally {
      shell.dispose();
    }
  });
});

describe('fleet attributes in the checks', () => {
  it('a bad serial or max_fail is an error', () => {
    const text = '```bash {name=a serial=half max_fail=10%}\nuptime\n```\n';
    const bad = checkRunbook(text).filter((d) => d.code === 'bad-fleet-attribute');
    assert.equal(bad.length, 1);
    assert.match(bad[0]!.message, /serial=half/);
  });
});

describe('confirming a group', () => {
  it('names the group and its size, and a group with a production host is typed by name', () => {
    const target = groupTarget({ name: 'web', members: ['web-1', 'web-2'], source: 'front matter' });
    const need = confirmationNeeded('systemctl restart api', {})!;
    const plain = confirmationPrompt('restart', 'systemctl restart api', target, need, { hosts: { 'web-1': { ssh: 'a@b' } } });
    assert.equal(plain.question, 'Run "restart" on group web (2 hosts)?');
    assert.equal(plain.production, false);
    const prod = confirmationPrompt('restart', 'systemctl restart api', target, need, { hosts: { 'web-2': { ssh: 'a@c', production: true } } });
    assert.equal(prod.production, true);
    assert.equal(prod.typeToConfirm, 'web');
  });
});
