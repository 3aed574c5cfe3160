// Nothing is lost (DESIGN §3): `runbook run --out` writes the record after every cell and on SIGINT,
// SIGTERM and SIGHUP (after stopping the running cell), checks --out before any cell runs, refuses to
// overwrite a file that is not a record of this runbook, and locks the record while a run writes it.
// Every test runs the real CLI as a child process and reads the record from disk.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseRunbook } from '../../src/core/format/index.js';
import { processesRunning, startCli, until } from './cliProcess.js';

const tag = (n: number) => `${700 + n}.${process.pid % 1000}`;

function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rb-durable-'));
  chmodSync(dir, 0o755);
  return dir;
}

/** A runbook whose cells touch marker files in `dir`, so a test sees which ones ran. */
function runbookFile(dir: string, body: string): string {
  const file = join(dir, 'steps.runbook.md');
  writeFileSync(file, `# Steps\n\n${body}`);
  return file;
}

const cell = (name: string, source: string) => `\`\`\`bash {name=${name}}\n${source}\n\`\`\`\n\n`;

function outputsOf(record: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of parseRunbook(record).cells) {
    if (c.kind === 'code' && c.outputs?.length) out[String(c.attributes.name)] = c.outputs.map((o) => o.text).join('');
  }
  return out;
}

function logEvents(record: string): string[] {
  return (parseRunbook(record).log?.rows ?? []).map((r) => `${r.cell}:${r.event}`);
}

describe('the headless record is never lost', () => {
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    it(`${signal} mid-run keeps the cells that ran, records the stopped one and leaves no process`, async () => {
      const dir = workDir();
      const sleeper = `sleep ${tag(signal.length)}`;
      const file = runbookFile(dir, cell('one', 'echo first-done') + cell('two', `echo second-started; ${sleeper}`) + cell('three', `touch ${dir}/three-ran`));
      const out = join(dir, 'record.md');
      const run = startCli(['run', file, '--all', '--out', out]);
      await run.waitForStderr('▶ two');
      assert.ok(await until(() => processesRunning(sleeper).length === 1), 'the second cell runs');
      // Written after the first cell, before the run ends.
      assert.ok(existsSync(out), 'the record exists while the run goes on');
      assert.match(outputsOf(readFileSync(out, 'utf8')).one ?? '', /first-done/);
      run.child.kill(signal);
      const code = await run.exited();
      assert.notEqual(code, 0, 'a run stopped by a signal does not report success');
      assert.notEqual(code, 'hung');
      const record = readFileSync(out, 'utf8');
      const outputs = outputsOf(record);
      assert.match(outputs.one ?? '', /first-done/);
      assert.match(outputs.two ?? '', /second-started/, 'the stopped cell keeps what it printed');
      assert.deepEqual(logEvents(record), ['one:run', 'two:cancel']);
      assert.equal(existsSync(join(dir, 'three-ran')), false, 'nothing runs after the signal');
      assert.deepEqual(processesRunning(sleeper), [], "the running cell's process was stopped");
      assert.deepEqual(readdirSync(dir).sort(), ['record.md', 'steps.runbook.md'], 'no temporary or lock file is left');
    });
  }

  it('writes the record atomically (a new file renamed over the old one) after each cell', async () => {
    const dir = workDir();
    const file = runbookFile(dir, cell('a', 'echo a') + cell('b', 'echo b'));
    const out = join(dir, 'record.md');
    writeFileSync(out, readFileSync(file)); // a record of this runbook, not yet run
    const inode = statSync(out).ino;
    // Hold the original inode with a second link (outside the folder): freed, its number could be reused by
    // a later temporary file, and the comparison below would then fail although the write was atomic.
    linkSync(out, join(workDir(), 'original-record'));
    const run = startCli(['run', file, '--all', '--out', out]);
    assert.equal(await run.exited(), 0, run.stderr());
    assert.notEqual(statSync(out).ino, inode, 'renamed into place, never rewritten in place');
    assert.deepEqual(Object.keys(outputsOf(readFileSync(out, 'utf8'))), ['a', 'b']);
    assert.deepEqual(readdirSync(dir).sort(), ['record.md', 'steps.runbook.md']);
  });

  it('a second run on an existing record of this runbook keeps the first run in it', async () => {
    const dir = workDir();
    const file = runbookFile(dir, cell('a', 'echo a') + cell('b', 'echo b'));
    const out = join(dir, 'record.md');
    assert.equal(await startCli(['run', file, '--cell', 'a', '--out', out]).exited(), 0);
    const second = startCli(['run', file, '--cell', 'b', '--out', out]);
    assert.equal(await second.exited(), 0, second.stderr());
    const record = readFileSync(out, 'utf8');
    assert.deepEqual(logEvents(record), ['a:run', 'b:run']);
    assert.deepEqual(Object.keys(outputsOf(record)), ['a', 'b']);
  });
});

describe('--out is checked before any cell runs', () => {
  const cases: Array<[string, (dir: string) => string, RegExp]> = [
    ['a missing directory', (dir) => join(dir, 'no-such-dir', 'record.md'), /does not exist/],
    ['a directory', (dir) => {
      mkdirSync(join(dir, 'adir'));
      return join(dir, 'adir');
    }, /is a directory/],
    ['a path under a file', (dir) => {
      writeFileSync(join(dir, 'plain'), 'x');
      return join(dir, 'plain', 'record.md');
    }, /not a directory/],
  ];
  if (existsSync('/sys/kernel')) cases.push(['a directory nobody can write (sysfs)', () => '/sys/kernel/runbook-record.md', /cannot write/]);
  for (const [what, path, message] of cases) {
    it(`refuses ${what} with a clear error and runs nothing`, async () => {
      const dir = workDir();
      const file = runbookFile(dir, cell('touch', `touch ${dir}/ran`));
      const run = startCli(['run', file, '--all', '--out', path(dir)]);
      const code = await run.exited();
      assert.notEqual(code, 0);
      assert.match(run.stderr(), message);
      assert.equal(existsSync(join(dir, 'ran')), false, 'no cell ran');
    });
  }

  it('refuses an existing file that is not a record of this runbook, unless --force', async () => {
    const dir = workDir();
    const file = runbookFile(dir, cell('touch', `touch ${dir}/ran`));
    const out = join(dir, 'notes.md');
    writeFileSync(out, '# My own notes\n\nDo not lose these.\n');
    const run = startCli(['run', file, '--all', '--out', out]);
    assert.notEqual(await run.exited(), 0);
    assert.match(run.stderr(), /not a record of .*steps\.runbook\.md.*--force/s);
    assert.equal(readFileSync(out, 'utf8'), '# My own notes\n\nDo not lose these.\n', 'the file is untouched');
    assert.equal(existsSync(join(dir, 'ran')), false, 'no cell ran');
    const forced = startCli(['run', file, '--all', '--out', out, '--force']);
    assert.equal(await forced.exited(), 0, forced.stderr());
    assert.equal(existsSync(join(dir, 'ran')), true);
    assert.deepEqual(logEvents(readFileSync(out, 'utf8')), ['touch:run']);
  });

  it('refuses a record of another runbook', async () => {
    const dir = workDir();
    const other = join(dir, 'other.runbook.md');
    writeFileSync(other, `# Other\n\n${cell('x', 'echo other')}`);
    const out = join(dir, 'record.md');
    assert.equal(await startCli(['run', other, '--all', '--out', out]).exited(), 0);
    const before = readFileSync(out, 'utf8');
    const file = runbookFile(dir, cell('touch', `touch ${dir}/ran`));
    const run = startCli(['run', file, '--all', '--out', out]);
    assert.notEqual(await run.exited(), 0);
    assert.match(run.stderr(), /not a record of/);
    assert.equal(readFileSync(out, 'utf8'), before);
    assert.equal(existsSync(join(dir, 'ran')), false);
  });
});

describe('a record is locked while a run writes it', () => {
  it('a second run on the same record refuses, naming the run that holds it, and loses nothing', async () => {
    const dir = workDir();
    const file = runbookFile(dir, cell('slow', `until [ -e ${dir}/go ]; do sleep 0.05; done; echo slow-done`) + cell('quick', 'echo quick-done'));
    const out = join(dir, 'record.md');
    const first = startCli(['run', file, '--cell', 'slow', '--out', out]);
    await first.waitForStderr('▶ slow');
    const second = startCli(['run', file, '--cell', 'quick', '--out', out]);
    const code = await second.exited();
    assert.notEqual(code, 0);
    assert.match(second.stderr(), new RegExp(`being written by another run \\(pid ${first.child.pid}`));
    assert.doesNotMatch(second.stderr(), /▶ quick/, 'the refused run ran nothing');
    writeFileSync(join(dir, 'go'), '');
    assert.equal(await first.exited(), 0, first.stderr());
    assert.deepEqual(logEvents(readFileSync(out, 'utf8')), ['slow:run']);
  });

  it('with --wait, the second run waits for the first and both runs are in the record', async () => {
    const dir = workDir();
    const file = runbookFile(dir, cell('slow', `until [ -e ${dir}/go ]; do sleep 0.05; done; echo slow-done`) + cell('quick', 'echo quick-done'));
    const out = join(dir, 'record.md');
    const first = startCli(['run', file, '--cell', 'slow', '--out', out]);
    await first.waitForStderr('▶ slow');
    const second = startCli(['run', file, '--cell', 'quick', '--out', out, '--wait']);
    await second.waitForStderr(/waiting/);
    assert.doesNotMatch(second.stderr(), /▶ quick/);
    writeFileSync(join(dir, 'go'), '');
    assert.equal(await first.exited(), 0, first.stderr());
    assert.equal(await second.exited(), 0, second.stderr());
    const record = readFileSync(out, 'utf8');
    assert.deepEqual(logEvents(record), ['slow:run', 'quick:run']);
    assert.match(outputsOf(record).slow ?? '', /slow-done/);
    assert.match(outputsOf(record).quick ?? '', /quick-done/);
  });

  it('`runbook incident note` on a record a run is writing refuses, so neither writer loses the other\'s rows', async () => {
    const dir = workDir();
    const file = runbookFile(dir, cell('slow', `until [ -e ${dir}/go ]; do sleep 0.05; done; echo slow-done`));
    const out = join(dir, 'record.md');
    const run = startCli(['run', file, '--all', '--out', out]);
    await run.waitForStderr('▶ slow');
    const note = startCli(['incident', 'note', out, '--kind', 'decision', 'fail over']);
    assert.notEqual(await note.exited(), 0);
    assert.match(note.stderr(), /being written by another run/);
    writeFileSync(join(dir, 'go'), '');
    assert.equal(await run.exited(), 0, run.stderr());
    const later = startCli(['incident', 'note', out, '--kind', 'decision', 'fail over']);
    assert.equal(await later.exited(), 0, later.stderr());
    const events = logEvents(readFileSync(out, 'utf8'));
    assert.equal(events.length, 2, JSON.stringify(events));
    assert.equal(events[0], 'slow:run');
    assert.match(events[1]!, /note:decision$/);
  });

  it('a lock left by a run that died is taken over', async () => {
    const dir = workDir();
    const file = runbookFile(dir, cell('a', 'echo a'));
    const out = join(dir, 'record.md');
    // A pid that is certainly not running: a child that has exited.
    const dead = startCli(['--version']);
    await dead.exited();
    writeFileSync(`${out}.lock`, JSON.stringify({ pid: dead.child.pid, host: hostname(), started: new Date().toISOString() }));
    const run = startCli(['run', file, '--all', '--out', out]);
    assert.equal(await run.exited(), 0, run.stderr());
    assert.deepEqual(logEvents(readFileSync(out, 'utf8')), ['a:run']);
    assert.equal(existsSync(`${out}.lock`), false);
  });
});
