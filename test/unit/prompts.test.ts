// Commands that ask (issue 12), against real bash, Debian's real sudo (a throw-away user whose sudo needs a
// password, test/harness/sudoUser.ts) and a real sshd: prompts reach whoever answers, answers reach the
// command and never the record, nobody-to-answer gives end-of-input and says so, cancel and timeout work
// while a prompt is open, and an answer that comes too late is never run.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseRunbook, serializeRunbook, type CodeCell } from '../../src/core/format/index.js';
import { EchoFilter } from '../../src/core/prompt/echoFilter.js';
import { isHiddenPrompt, isWaiting, parseProbe } from '../../src/core/prompt/probe.js';
import { findPrompt } from '../../src/core/prompt/promptText.js';
import type { InputPrompt, PromptAnswer } from '../../src/core/contract/prompt.js';
import { CellRunner, type RunnerUi } from '../../src/core/run/cellRunner.js';
import { runDocument } from '../../src/core/run/documentRunner.js';
import { ShellExecutor } from '../../src/core/run/shellExecutor.js';
import { SshRemote } from '../../src/core/run/sshRemote.js';
import { switchableRedactor } from '../../src/core/run/switchableRedactor.js';
import { targetResolver } from '../../src/core/run/targets.js';
import { localTransport } from '../../src/core/shell/localTransport.js';
import { ShellSession } from '../../src/core/shell/session.js';
import type { ShellTransport, TransportFactory } from '../../src/core/shell/transport.js';
import { sshTransport } from '../../src/core/ssh/sshTransport.js';
import { newPool, recordingAsk, testEnv } from '../harness/sshFixtures.js';
import { sshdSkipReason, startSshd, type Sshd } from '../harness/sshd.js';
import { ensureSudoUser, sudoUserSkipReason, type SudoUser } from '../harness/sudoUser.js';
import { repoRoot } from './helpers.js';
import { requirement } from '../harness/requirement.js';

const CI = process.env.CI === 'true';
const skipSudo = sudoUserSkipReason();
if (CI && skipSudo) throw new Error(`the prompt tests need real sudo: ${skipSudo}`);

interface Asked {
  prompt: InputPrompt;
  context?: { cellName: string; target: string };
}

/** A RunnerUi that answers prompts with `answer(prompt)` and records what it was asked. */
function answeringUi(answer: (p: InputPrompt) => PromptAnswer | 'wait', asked: Asked[]): RunnerUi {
  return {
    trusted: () => true,
    askVariable: async () => undefined,
    confirm: async () => true,
    answerPrompt: (prompt, context, signal) => {
      asked.push({ prompt, context });
      const a = answer(prompt);
      if (a !== 'wait') return Promise.resolve(a);
      return new Promise((resolve) => signal.addEventListener('abort', () => resolve({ kind: 'eof' }), { once: true }));
    },
  };
}

const silentUi: RunnerUi = { trusted: () => true, askVariable: async () => undefined, confirm: async () => true };

function runnerFor(shell: ShellExecutor, ui: RunnerUi, resolve = targetResolver()): CellRunner {
  return new CellRunner({
    executors: { shell }, resolveTarget: resolve, defaultTarget: () => 'local', operator: 'alice',
    redactor: switchableRedactor(), ui,
  });
}

function runbook(cells: Array<{ name: string; source: string; host?: string }>, front = ''): string {
  const fm = front ? `---\n${front}---\n` : '';
  return fm + cells.map((c) => `\`\`\`bash {name=${c.name}${c.host ? ` host=${c.host}` : ''}}\n${c.source}\n\`\`\`\n`).join('\n');
}

function outputsOf(doc: ReturnType<typeof parseRunbook>, name: string): string {
  const cell = doc.cells.find((c): c is CodeCell => c.kind === 'code' && c.attributes.name === name);
  return (cell?.outputs ?? []).map((o) => o.text).join('');
}

describe('prompt detection pieces', () => {
  it('finds the prompt in the unfinished last line, or a question on the last line', () => {
    assert.deepEqual(findPrompt('starting\n[sudo] password for ann: '), { text: '[sudo] password for ann:', partial: true });
    assert.deepEqual(findPrompt('Type yes to go on:\n'), { text: 'Type yes to go on:', partial: false });
    assert.deepEqual(findPrompt('done\n'), { text: '', partial: false });
    assert.deepEqual(findPrompt('\x1b[1mContinue?\x1b[0m [y/N] '), { text: 'Continue? [y/N]', partial: true });
  });

  it('drops the echo of an answer from the terminal output, across chunks, and nothing else', () => {
    const f = new EchoFilter();
    f.expect('yes\n');
    assert.equal(f.filter('ye'), '');
    assert.equal(f.filter('s\nnext line\n'), 'next line\n');
    assert.equal(f.filter('yes\n'), '\n', 'a later occurrence of an answer of 3+ characters is swept too');
    f.expect('secret\n');
    assert.equal(f.filter('\nok\n'), '\nok\n', 'echo was off: nothing else is dropped');
    assert.equal(f.filter('key=secret!\n'), 'key=!\n', 'the answer never reaches the record, wherever it shows');
    const short = new EchoFilter();
    short.expect('y\n');
    assert.equal(short.filter('y\r\n'), '\r\n', 'the echo of a one-letter answer is dropped where it comes first');
    assert.equal(short.filter('yes, by you\n'), 'yes, by you\n', 'one- and two-letter answers are not swept from other text');
  });

  it('decides from the probe: certain readers, likely ones with a prompt, hidden setuid readers', () => {
    const p = parseProbe('T\nE1\nR 12\n');
    assert.deepEqual(p, { tty: true, echoOff: false, readers: [12], likely: [], opaque: [] });
    assert.equal(isWaiting(p, false), true);
    assert.equal(isWaiting(parseProbe('T\nE1\nM 12\n'), false), false, 'a socket wait looks the same: needs a prompt');
    assert.equal(isWaiting(parseProbe('T\nE1\nM 12\n'), true), true);
    assert.equal(isWaiting(parseProbe('T\nE0\nU 40\n'), false), true, 'sudo cannot be looked at, but it turned echo off');
    assert.equal(isWaiting(parseProbe('T\nE1\nU 40\n'), true), false);
    assert.equal(isWaiting(parseProbe('N\n'), true), false, 'no terminal');
    assert.equal(isHiddenPrompt('Enter passphrase for key:', false), true);
    assert.equal(isHiddenPrompt('Continue? [y/N]', true), true);
    assert.equal(isHiddenPrompt('Continue? [y/N]', false), false);
  });
});

describe('prompts in a local session (real bash)', () => {
  const sessions: ShellSession[] = [];
  after(() => sessions.forEach((s) => s.dispose()));
  const capture: { transport?: ShellTransport } = {};
  function session(): ShellSession {
    const base = localTransport();
    const factory: TransportFactory = () => (capture.transport = base());
    const s = new ShellSession({ transport: factory });
    sessions.push(s);
    return s;
  }

  it('read, read -s and read without a prompt get their answers; state carries on; answers are not in the output', async () => {
    const s = session();
    const answers = ['yes-answer-one', 'hidden-answer-two', 'plain-answer-three'];
    const asked: InputPrompt[] = [];
    const r = await s.run('read -p "Continue? [y/N] " a; echo "a=${#a}"; read -s -p "Token: " t; echo; echo "t=${#t}"; read b; echo "b=${#b}"', {
      timeoutMs: 20_000,
      onPrompt: async (p) => ({ kind: 'answer', text: answers[asked.push(p) - 1]! }),
    });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, 'a=14\n\nt=17\nb=18\n');
    // The hidden prompt's text has (rarely, seen once in CI) been empty: its echo-off read was seen before the
    // text arrived. The box is still a password box; the text is checked whenever it was captured.
    assert.deepEqual(asked.map((p) => p.hidden), [false, true, false]);
    assert.equal(asked[0]?.text, 'Continue? [y/N]');
    assert.ok(['Token:', ''].includes(asked[1]?.text ?? 'missing'), `second prompt text: ${asked[1]?.text}`);
    assert.equal(asked[2]?.text, '');
    assert.deepEqual(r.prompts?.map((p) => p.outcome), ['answered', 'answered', 'answered']);
    for (const a of answers) assert.ok(!JSON.stringify(r).includes(a), `answer ${a} leaked into the result`);
    const next = await s.run('echo "still ${#a} ${#t}"');
    assert.equal(next.stdout, 'still 14 17\n');
  });

  it('Escape sends end-of-input; with nobody to answer the cell gets end-of-input and the result says so', async () => {
    const s = session();
    const eof = await s.run('read -p "Name: " x; echo "rc=$?"', { timeoutMs: 20_000, onPrompt: async () => ({ kind: 'eof' }) });
    assert.equal(eof.stdout, 'rc=1\n');
    assert.deepEqual(eof.prompts, [{ text: 'Name:', hidden: false, outcome: 'eof' }]);
    const nobody = await s.run('cat; echo "cat=$?"', { timeoutMs: 20_000 });
    assert.equal(nobody.stdout, 'cat=0\n');
    assert.equal(nobody.prompts?.[0]?.outcome, 'nobody');
  });

  it('mysql -p asks "Enter password:" with echo off: a password box, the answer goes to mysql', { skip: requirement(existsSync('/usr/bin/mysql') ? undefined : 'no mysql client (Debian package mariadb-client)') }, async () => {
    const s = session();
    const asked: InputPrompt[] = [];
    // Port 1 on loopback: mysql asks before it connects, then fails to connect.
    const r = await s.run('mysql -h 127.0.0.1 -P 1 -u nobody -p -e "select 1"; echo "status $?"', {
      timeoutMs: 20_000,
      onPrompt: async (p) => {
        asked.push(p);
        return { kind: 'answer', text: 'mysql-typed-secret' };
      },
    });
    assert.deepEqual(asked, [{ text: 'Enter password:', hidden: true }]);
    assert.match(r.stdout, /status [1-9]/);
    assert.match(r.stderr, /Can't connect/);
    assert.ok(!JSON.stringify(r).includes('mysql-typed-secret'));
  });

  it('cancel and timeout work while a prompt is open; the session and its terminal carry on', async () => {
    const s = session();
    await s.run('kept=yes');
    const abort = new AbortController();
    const cancelled = await s.run('read -s -p "Password: " p', {
      signal: abort.signal,
      onPrompt: (_p, signal) => {
        setTimeout(() => abort.abort(), 50);
        return new Promise((resolve) => signal.addEventListener('abort', () => resolve({ kind: 'eof' })));
      },
    });
    assert.equal(cancelled.cancelled, true);
    assert.deepEqual(cancelled.prompts?.map((p) => p.outcome), ['abandoned']);
    let withdrawn = false;
    const timedOut = await s.run('read -p "Continue? " c', {
      timeoutMs: 4000, // generous: the prompt must be open (detected) before the timeout, even on a loaded machine
      onPrompt: (_p, signal) => new Promise((resolve) => signal.addEventListener('abort', () => {
        withdrawn = true;
        resolve({ kind: 'answer', text: 'too-late-answer' });
      })),
    });
    assert.equal(timedOut.timedOut, true);
    assert.ok(withdrawn, 'the open question was withdrawn when the cell timed out');
    const after = await s.run('echo "kept=$kept"; stty -a </dev/tty | grep -o -- "-\\?echo " | head -1; echo "c=${c-unset}"');
    assert.equal(after.stdout, 'kept=yes\necho \nc=unset\n', 'echo is back on and the late answer reached nobody');
  });

  it('an answer that arrives after its prompt went away is never read by the next cell', async () => {
    const s = session();
    await s.run('true');
    const marker = join(tmpdir(), `rb-late-${process.pid}-${Date.now()}`);
    capture.transport!.writeInput!(`touch ${marker}\n`);
    await new Promise((r) => setTimeout(r, 100));
    const r = await s.run('read -t 1 x; echo "rc=$? x=${x-}"', { timeoutMs: 10_000, onPrompt: async () => ({ kind: 'eof' }) });
    assert.match(r.stdout, /^rc=(1|14[0-9]) x=\n$/, "the late answer was drained, not read");
    assert.equal(existsSync(marker), false);
  });
});

describe("the drill's stand-in sudo", () => {
  const state = mkdtempSync(join(tmpdir(), 'rb-drill-sudo-'));
  const common = join(repoRoot, 'samples', 'drills', '_common');
  const env = { ...process.env, DRILL_STATE: state, DRILL_COMMON: common, DRILL_SCENARIO: state, PATH: `${join(common, 'bin')}:${process.env.PATH}` };
  after(() => rmSync(state, { recursive: true, force: true }));

  it('asks for a password like sudo (no echo, any answer), remembers it, -k forgets it, -n refuses to ask', async () => {
    const s = new ShellSession({ transport: localTransport({ env }) });
    try {
      const asked: InputPrompt[] = [];
      const r = await s.run('sudo -k; sudo echo first; sudo echo second; sudo -n echo third; sudo -k; sudo -n echo fourth || echo "refused $?"', {
        timeoutMs: 20_000,
        onPrompt: async (p) => {
          asked.push(p);
          return { kind: 'answer', text: 'any-drill-answer' };
        },
      });
      assert.equal(r.stdout, 'first\nsecond\nthird\nrefused 1\n', r.stderr);
      assert.equal(asked.length, 1);
      assert.match(asked[0]!.text, /^\[sudo\] password for \S+:$/);
      assert.equal(asked[0]!.hidden, true);
      assert.match(r.stderr, /sudo: a password is required/);
      assert.ok(!JSON.stringify(r).includes('any-drill-answer'));
    } finally {
      s.dispose();
    }
  });

  it('without a terminal it fails as sudo does', async () => {
    const s = new ShellSession({ transport: localTransport({ env, terminal: false }) });
    try {
      const r = await s.run('sudo -k; sudo echo never');
      assert.equal(r.exitCode, 1);
      assert.match(r.stderr, /sudo: a terminal is required to read the password/);
      assert.equal(r.stdout, '');
    } finally {
      s.dispose();
    }
  });
});

describe('real sudo asking for a password, locally', { skip: requirement(skipSudo) }, () => {
  let user: SudoUser;
  let shell: ShellExecutor;
  before(() => {
    user = ensureSudoUser();
  });
  after(() => shell?.dispose());
  const make = () => {
    shell?.dispose();
    const redactor = switchableRedactor();
    const transport = localTransport({ wrapper: user.wrapper, env: user.env, cwd: user.home });
    shell = new ShellExecutor({ redact: redactor.redact, transportFor: () => transport });
    return shell;
  };

  it('`sudo -k; sudo id -u` prints 0 after the password is given; the password is nowhere in the record', async () => {
    const asked: Asked[] = [];
    const ui = answeringUi((p) => (p.hidden ? { kind: 'answer', text: user.password } : { kind: 'eof' }), asked);
    const doc = parseRunbook(runbook([{ name: 'restart', source: 'whoami; sudo -k; sudo id -u' }, { name: 'again', source: 'sudo id -u' }]));
    const summary = await runDocument(doc, runnerFor(make(), ui), { all: true });
    assert.deepEqual(summary, { ran: 2, failed: 0, skipped: 0 }, outputsOf(doc, 'restart'));
    assert.match(outputsOf(doc, 'restart'), /^rbsudo\n0\n/);
    assert.equal(asked.length, 1, 'sudo asked once: its timestamp covers the second cell');
    assert.match(asked[0]!.prompt.text, /^\[sudo\] password for rbsudo:$/);
    assert.equal(asked[0]!.prompt.hidden, true);
    assert.equal(asked[0]!.context?.cellName, 'restart');
    assert.match(asked[0]!.context?.target ?? '', /@/);
    assert.match(outputsOf(doc, 'restart'), /\[runbook\] the cell asked "\[sudo\] password for rbsudo:": answered \(hidden input, the answer is not recorded\)/);
    assert.match(outputsOf(doc, 'again'), /^0\n/);
    const record = serializeRunbook(doc);
    assert.ok(!record.includes(user.password), 'the password is not in the record');
    assert.ok(!JSON.stringify(doc.log).includes(user.password));
  });

  it('passwd asks with echo off: a password box; Escape ends it without changing anything', async () => {
    const asked: Asked[] = [];
    const doc = parseRunbook(runbook([{ name: 'passwd', source: 'passwd; echo "status $?"' }]));
    await runDocument(doc, runnerFor(make(), answeringUi(() => ({ kind: 'eof' }), asked)), { all: true });
    assert.equal(asked.length, 1, outputsOf(doc, 'passwd'));
    assert.match(asked[0]!.prompt.text, /password:$/i);
    assert.equal(asked[0]!.prompt.hidden, true);
    assert.match(outputsOf(doc, 'passwd'), /status [1-9]/);
    assert.match(outputsOf(doc, 'passwd'), /the operator sent end-of-input/);
  });

  it('with nobody to answer, sudo gets end-of-input and the record says it asked and no one answered', async () => {
    const doc = parseRunbook(runbook([{ name: 'nobody', source: 'sudo -k; sudo id -u' }]));
    const summary = await runDocument(doc, runnerFor(make(), silentUi), { all: true });
    assert.equal(summary.failed, 1);
    const out = outputsOf(doc, 'nobody');
    assert.match(out, /sudo: (a password is required|no password was provided)/);
    assert.match(out, /\[runbook\] the cell asked "\[sudo\] password for rbsudo:" and no one answered/);
    assert.match(doc.log!.rows[0]!.detail ?? '', /no one answered/);
  });
});

describe('prompts on an SSH target (real sshd, real sudo as the throw-away user)', { skip: requirement(skipSudo, sshdSkipReason()) }, () => {
  let sshd: Sshd;
  let dir: string;
  let user: SudoUser;
  before(async () => {
    user = ensureSudoUser();
    sshd = await startSshd({ user: user.name });
    dir = mkdtempSync(join(tmpdir(), 'rb-prompts-'));
    chmodSync(dir, 0o755);
  });
  after(() => {
    sshd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const hosts = () => `hosts:\n  box: { ssh: ${sshd.user}@${sshd.host}, port: ${sshd.port}, identityFile: ${sshd.userKey} }\n`;

  it('sudo and read get their answers over SSH; streams, exit codes and state carry on; nothing of the answers is recorded', async () => {
    const remote = new SshRemote({ ask: recordingAsk(), env: testEnv, sshConfigText: '', knownHostsFiles: [sshd.knownHostsFile] });
    const redactor = switchableRedactor();
    const shell = new ShellExecutor({ redact: redactor.redact, transportFor: (t) => remote.transport(t) });
    try {
      const asked: Asked[] = [];
      const ui = answeringUi((p) => ({ kind: 'answer', text: p.hidden ? user.password : 'typed-remote-answer' }), asked);
      const doc = parseRunbook(runbook([
        { name: 'sudo', host: 'box', source: 'sudo -k; sudo id -u; echo to-err >&2; read -p "Go on? " go; echo "go=${#go}"' },
        { name: 'after', host: 'box', source: 'echo "go=${#go} tty=$(tty)"; exit 3' },
      ], hosts()));
      const runner = new CellRunner({
        executors: { shell }, resolveTarget: targetResolver(remote.resolve), defaultTarget: () => 'local', operator: 'alice',
        redactor, ui,
      });
      const summary = await runDocument(doc, runner, { all: true });
      const cells = doc.cells.filter((c): c is CodeCell => c.kind === 'code');
      const first = cells[0]!.outputs;
      assert.equal(first.find((o) => o.meta.stream === 'stdout')?.text, '0\ngo=19\n', JSON.stringify(first));
      assert.match(first.find((o) => o.meta.stream === 'stderr' && !o.meta.kind)?.text ?? '', /\[sudo\] password for rbsudo: \n(.|\n)*to-err\n(.|\n)*Go on\? /);
      assert.equal(first[0]!.meta.exit, 0);
      assert.equal(first[0]!.meta.host, sshd.label);
      assert.deepEqual(asked.map((a) => [a.prompt.text, a.prompt.hidden, a.context?.target]),
        [['[sudo] password for rbsudo:', true, sshd.label], ['Go on?', false, sshd.label]]);
      assert.match(cells[1]!.outputs[0]!.text, /^go=19 tty=\/dev\/pts\/\d+\n$/);
      assert.equal(cells[1]!.outputs[0]!.meta.exit, 3);
      assert.equal(summary.ran, 2);
      const record = serializeRunbook(doc);
      assert.ok(!record.includes(user.password), 'the password is not in the record');
      assert.ok(!record.includes('typed-remote-answer'), 'the typed answer is not in the record');
    } finally {
      shell.dispose();
      remote.dispose();
    }
  });

  it('over SSH, a timeout ends a cell whose prompt is open, and a late answer is never run as a command', async () => {
    const pool = newPool([sshd.knownHostsFile]);
    let transport: ShellTransport | undefined;
    const base = sshTransport(pool.get({ host: sshd.host, port: sshd.port, user: sshd.user, identityFiles: [sshd.userKey] } as never));
    const s = new ShellSession({ transport: () => (transport = base()) });
    try {
      await s.run('kept=1');
      let asked = 0;
      const r = await s.run('sudo -k; sudo id -u', {
        timeoutMs: 2500,
        onPrompt: (_p, signal) => {
          asked++;
          return new Promise((resolve) => signal.addEventListener('abort', () => resolve({ kind: 'eof' })));
        },
      });
      assert.equal(r.timedOut, true);
      assert.equal(asked, 1);
      const marker = `/tmp/rb-late-ssh-${process.pid}-${Date.now()}`;
      transport!.writeInput!(`touch ${marker}\n`);
      const next = await s.run(`echo "kept=$kept"; test -e ${marker} && echo ran || echo not-run`);
      assert.equal(next.stdout, 'kept=1\nnot-run\n');
    } finally {
      s.dispose();
    }
  });

  it("ssh's host-key question inside a cell reaches the person with its text; the answer goes to ssh", async () => {
    const s = new ShellSession();
    try {
      const empty = join(dir, 'empty_known_hosts');
      writeFileSync(empty, '');
      const asked: InputPrompt[] = [];
      const r = await s.run(`ssh -p ${sshd.port} -i ${sshd.userKey} -o UserKnownHostsFile=${empty} -o GlobalKnownHostsFile=/dev/null `
        + `-o StrictHostKeyChecking=ask -o BatchMode=no ${sshd.user}@${sshd.host} true; echo "ssh=$?"`, {
        timeoutMs: 30_000,
        onPrompt: async (p) => {
          asked.push(p);
          return { kind: 'answer', text: 'no' };
        },
      });
      assert.equal(asked.length, 1, JSON.stringify(r));
      assert.match(asked[0]!.text, /Are you sure you want to continue connecting \(yes\/no(\/\[fingerprint\])?\)\?$/);
      assert.equal(asked[0]!.hidden, false);
      assert.match(r.stderr, /ED25519 key fingerprint is SHA256:/);
      assert.match(r.stderr, /Host key verification failed/);
      assert.equal(r.stdout, 'ssh=255\n');
      assert.equal(readFileSync(empty, 'utf8'), '', 'nothing was trusted');
    } finally {
      s.dispose();
    }
  });

  it('the CLI on a terminal shows the prompt and reads the answer without echo; without a terminal it says no one answered', async () => {
    const file = join(dir, 'cli.runbook.md');
    const text = runbook([{ name: 'restart', host: 'box', source: 'sudo -k; sudo id -u' }], hosts());
    writeFileSync(file, text);
    const cli = [process.execPath, '--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), 'run', file, '--all', '--known-hosts', sshd.knownHostsFile, '--ssh-config', '/dev/null'];
    const env = { ...process.env, SSH_AUTH_SOCK: '' };
    // On a terminal (script(1) gives the CLI a pseudo-terminal): type the password once the prompt shows.
    const screen = await new Promise<{ text: string; code: number | null }>((resolve) => {
      const quoted = cli.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
      const p = spawn('script', ['-q', '-f', '-e', '-c', quoted, '/dev/null'], { cwd: repoRoot, env, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let typed = false;
      p.stdout.on('data', (b: Buffer) => {
        out += b.toString('utf8');
        if (!typed && /typing is hidden[^]*password for rbsudo/.test(out)) {
          typed = true;
          setTimeout(() => p.stdin.write(`${user.password}\r`), 300); // sudo drops typed-ahead input: type once it asks
        }
      });
      p.on('exit', (code) => resolve({ text: out, code }));
      setTimeout(() => p.kill('SIGKILL'), 60_000).unref();
    });
    assert.equal(screen.code, 0, screen.text);
    assert.ok(!screen.text.includes(user.password), 'the password was not echoed or printed');
    let doc = parseRunbook(readFileSync(file, 'utf8'));
    assert.match(outputsOf(doc, 'restart'), /^0\n/);
    assert.ok(!readFileSync(file, 'utf8').includes(user.password));
    // Without a terminal: end-of-input, said on stderr and in the record.
    writeFileSync(file, text);
    const r = spawnSync(cli[0]!, cli.slice(1), { encoding: 'utf8', cwd: repoRoot, env, input: '' });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /restart on rbsudo@127\.0\.0\.1:\d+ asks "\[sudo\] password for rbsudo:": no terminal to answer on, so it gets end-of-input/);
    doc = parseRunbook(readFileSync(file, 'utf8'));
    assert.match(outputsOf(doc, 'restart'), /no one answered/);
  });
});
