// The confirmation policy's question and the SQL rules, written against Stryker's surviving mutants
// (docs/MUTATION.md): the whole text a confirmation shows, group and production targets, PromQL never
// asking, and the SQL rules where flattening does not already decide.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFrontMatter } from '../../src/core/format/frontMatter.js';
import type { ResolvedTarget } from '../../src/core/contract/types.js';
import { confirmationNeeded, confirmationPrompt, isProductionTarget, targetInWords } from '../../src/core/run/confirmPolicy.js';
import { sqlDangers } from '../../src/core/sql/dangers.js';

const fm = readFrontMatter([
  '---',
  'hosts:',
  '  cvd-prod: { ssh: deploy@10.0.0.5, jump: bastion, production: true }',
  '  bastion: { ssh: jump@10.0.0.1 }',
  '  web-1: { ssh: ops@10.0.0.8 }',
  '  web-2: { ssh: ops@10.0.0.9 }',
  '---',
  '',
].join('\n')).data;
const local: ResolvedTarget = { name: 'local', kind: 'local', label: 'root@vm', user: 'root', host: 'vm' };
const prod: ResolvedTarget = { name: 'cvd-prod', kind: 'ssh', label: 'deploy@10.0.0.5:22', user: 'deploy', host: '10.0.0.5', port: 22 };
const web: ResolvedTarget = { name: 'web-1', kind: 'ssh', label: 'ops@10.0.0.8:22', user: 'ops', host: '10.0.0.8', port: 22 };
const group = (members: string[]): ResolvedTarget => ({ name: 'web', kind: 'ssh', label: `group web (${members.length} hosts)`, user: '', host: '', members });

describe('confirmation prompt: every line it shows', () => {
  it('a local target: the exact detail text, the source lines trimmed, Cancel as the advice', () => {
    const source = 'cd /tmp\r\n   rm -rf /var/cache/x   \r\necho done';
    const need = confirmationNeeded(source, { confirm: true }, 'shellscript', fm)!;
    const p = confirmationPrompt('clear', source, local, need, fm);
    assert.deepEqual(p.lines, [{ line: 2, text: 'rm -rf /var/cache/x', what: 'rm -r/-f' }]);
    assert.equal(p.detail, [
      'Target: this machine (root@vm)',
      '',
      'Lines that asked for this confirmation:',
      '  line 2 (rm -r/-f):  rm -rf /var/cache/x',
      'Also: the cell is marked confirm=true.',
      '',
      'Cancel is the default; choose Run only if this is what you mean to do.',
    ].join('\n'));
    assert.equal(p.question, 'Run "clear" on this machine?');
    assert.equal(p.where, 'this machine');
    assert.equal(p.address, 'root@vm');
    assert.equal(p.production, false);
    assert.ok(!('typeToConfirm' in p));
  });

  it('a production host: named with its jumps, PRODUCTION, and its name to type', () => {
    const need = confirmationNeeded('ls', { confirm: 'true' }, 'shellscript', fm)!;
    const p = confirmationPrompt('look', 'ls', prod, need, fm);
    assert.equal(p.where, 'deploy@cvd-prod via bastion');
    assert.equal(p.detail, [
      'Target: deploy@cvd-prod via bastion (deploy@10.0.0.5:22) — PRODUCTION',
      '',
      'Also: the cell is marked confirm=true.',
      '',
      'To run it, type the host name "cvd-prod" next.',
    ].join('\n'));
    assert.equal(p.typeToConfirm, 'cvd-prod');
    assert.equal(p.production, true);
  });

  it('a host without jumps, a drill stand-in, a group', () => {
    assert.equal(targetInWords(web, fm), 'ops@web-1');
    assert.equal(targetInWords({ ...web, name: 'unknown' }, fm), 'ops@unknown');
    assert.equal(targetInWords({ ...local, label: 'root@vm (drill cvd-prod)' }, fm), 'this machine (drill stand-in for cvd-prod)');
    assert.equal(targetInWords({ ...local, label: 'root@vm (drill cvd-prod) x' }, fm), 'this machine');
    assert.equal(targetInWords({ ...local, label: 'root@vm (drill ab)' }, fm), 'this machine (drill stand-in for ab)');
    assert.equal(targetInWords(group(['web-1', 'web-2']), fm), 'group web (2 hosts)');
    // The group's label already names it: the detail does not repeat it.
    const need = confirmationNeeded('ls', { confirm: true }, 'shellscript', fm)!;
    assert.match(confirmationPrompt('x', 'ls', group(['web-1', 'web-2']), need, fm).detail, /^Target: group web \(2 hosts\)\n/);
  });

  it('production: a group with one production member, never a local target or an unmarked host', () => {
    assert.equal(isProductionTarget(group(['web-1', 'cvd-prod']), fm), true);
    assert.equal(isProductionTarget(group(['web-1', 'web-2']), fm), false);
    assert.equal(isProductionTarget(prod, fm), true);
    assert.equal(isProductionTarget(web, fm), false);
    assert.equal(isProductionTarget({ ...local, name: 'cvd-prod' }, fm), false, 'a local target named like a production host');
    assert.equal(isProductionTarget(prod, undefined), false);
  });
});

describe('confirmation policy: languages', () => {
  it('PromQL only reads: a query that looks like a shell command does not ask', () => {
    assert.equal(confirmationNeeded('reboot > 0', {}, 'promql'), undefined);
    assert.ok(confirmationNeeded('reboot > 0', {}, 'shellscript'));
    assert.ok(confirmationNeeded('reboot > 0', {}), 'the default language is the shell');
  });
});

describe('SQL rules where flattening does not decide', () => {
  it('PRAGMA journal_mode=OFF with or without spaces', () => {
    assert.deepEqual(sqlDangers('PRAGMA journal_mode=OFF;', 'sqlite').map((d) => d.what), ['PRAGMA JOURNAL_MODE=OFF']);
    assert.deepEqual(sqlDangers('PRAGMA journal_mode = off;', 'sqlite').map((d) => d.what), ['PRAGMA JOURNAL_MODE = OFF']);
  });

  it('statement-start keywords only at the start of a statement', () => {
    assert.deepEqual(sqlDangers('SELECT who, revoke FROM audit; SELECT grant FROM t;', 'postgres'), []);
    assert.deepEqual(sqlDangers('MYKILL 1; XSHUTDOWN; PREREINDEX t; UNGRANT x; NOCLUSTER y;', 'mysql'), []);
    assert.deepEqual(sqlDangers('SELECT 1;\n  GRANT ALL ON t TO bob;', 'postgres'), [{ what: 'GRANT', line: 2 }]);
  });

  it('a read-only sqlite3 dot-command naming a table "truncate" is not a TRUNCATE', () => {
    assert.deepEqual(sqlDangers('.schema truncate', 'sqlite'), []);
  });

  it('a lower-case shell-style kill after leading blanks keeps the shell rule\'s label', () => {
    assert.deepEqual(sqlDangers('SELECT 1;\n   kill 5;', 'mysql'), [{ what: 'kill', line: 2 }]);
  });
});

describe('confirmation prompt: after the measured run (docs/MUTATION.md)', () => {
  it('a host behind two jump hosts names both, and LF sources show their lines', () => {
    const two = readFrontMatter('---\nhosts:\n  db: { ssh: ops@10.0.0.7, jump: [bastion, inner] }\n  bastion: { ssh: j@10.0.0.1 }\n  inner: { ssh: j@10.0.0.2 }\n---\n').data;
    const db: ResolvedTarget = { name: 'db', kind: 'ssh', label: 'ops@10.0.0.7:22', user: 'ops', host: '10.0.0.7', port: 22 };
    assert.equal(targetInWords(db, two), 'ops@db via bastion, inner');
    const source = 'cd /\nrm -rf /tmp/x';
    const p = confirmationPrompt('x', source, local, confirmationNeeded(source, {}, 'shellscript', fm)!, fm);
    assert.deepEqual(p.lines, [{ line: 2, text: 'rm -rf /tmp/x', what: 'rm -r/-f' }]);
  });
});
