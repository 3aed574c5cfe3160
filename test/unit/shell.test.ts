// The persistent shell session against a real bash: state, exit codes, streams, stdin, session end, limits.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createRedactor } from '../../src/core/redact/redactor.js';
import { ShellSession } from '../../src/core/shell/session.js';

const sessions: ShellSession[] = [];
function session(...args: ConstructorParameters<typeof ShellSession>): ShellSession {
  const s = new ShellSession(...args);
  sessions.push(s);
  return s;
}
after(() => sessions.forEach((s) => s.dispose()));

describe('ShellSession (real bash)', () => {
  it('carries cd, export, shell variables, arrays and functions from cell to cell', async () => {
    const s = session();
    const first = await s.run('cd /tmp\nexport INCIDENT_ID=CVD-42\ncount=3\ndeclare -A host=([db]=db-1)\ngreet() { echo "hello $1"; }');
    assert.equal(first.exitCode, 0);
    assert.equal(first.freshSession, true);
    const r = await s.run('echo "$PWD $INCIDENT_ID $count ${host[db]}"; greet ops; bash -c \'echo "child sees $INCIDENT_ID"\'');
    assert.equal(r.stdout, '/tmp CVD-42 3 db-1\nhello ops\nchild sees CVD-42\n');
    assert.equal(r.freshSession, false);
  });

  it('captures exit codes, including of the last command and of syntax errors', async () => {
    const s = session();
    assert.equal((await s.run('true')).exitCode, 0);
    assert.equal((await s.run('false')).exitCode, 1);
    assert.equal((await s.run('(exit 7)')).exitCode, 7);
    const syntax = await s.run('if then fi (');
    assert.equal(syntax.exitCode, 2);
    assert.match(syntax.stderr, /syntax error/);
    assert.equal((await s.run('echo alive')).stdout, 'alive\n'); // the framing survived the syntax error
  });

  it('keeps stdout and stderr apart and streams both', async () => {
    const s = session();
    const out: string[] = [];
    const err: string[] = [];
    const r = await s.run('echo to-out; echo to-err >&2; printf no-newline', {
      onStdout: (c) => out.push(c),
      onStderr: (c) => err.push(c),
    });
    assert.equal(r.stdout, 'to-out\nno-newline');
    assert.equal(r.stderr, 'to-err\n');
    assert.equal(out.join(''), r.stdout);
    assert.equal(err.join(''), r.stderr);
  });

  it('gives commands that read stdin an immediate EOF', async () => {
    const s = session();
    const r = await s.run('cat; echo "cat=$?"; read x; echo "read=$?"; head -c 10; echo done', { timeoutMs: 5000 });
    // Without an immediate EOF, `cat` would wait for input until the 5 s timeout ends the cell.
    assert.equal(r.stdout, 'cat=0\nread=1\ndone\n');
    assert.equal(r.timedOut, false);
  });

  it('ends the cell clearly on `exit 3` and starts a fresh session on the next run', async () => {
    const s = session();
    await s.run('export KEEP=me');
    const pid = s.pid;
    const r = await s.run('echo before; exit 3; echo never');
    assert.equal(r.exitCode, 3);
    assert.equal(r.sessionEnded, true);
    assert.equal(r.stdout, 'before\n');
    assert.equal(r.message, 'the shell session ended (exit 3); a new session starts on the next run');
    const next = await s.run('echo "KEEP=${KEEP-unset}"');
    assert.equal(next.stdout, 'KEEP=unset\n');
    assert.equal(next.freshSession, true);
    assert.notEqual(s.pid, pid);
  });

  it('reports a shell that dies from a signal', async () => {
    const s = session();
    const r = await s.run('kill -9 $$');
    assert.equal(r.sessionEnded, true);
    assert.match(r.message ?? '', /the shell session ended \(killed by SIGKILL\)/);
    assert.equal((await s.run('echo ok')).stdout, 'ok\n');
  });

  it('restart() gives a fresh shell', async () => {
    const s = session();
    await s.run('x=1');
    s.restart();
    const r = await s.run('echo "x=${x-unset}"');
    assert.equal(r.stdout, 'x=unset\n');
    assert.equal(r.freshSession, true);
  });

  it('exports variables, quoted, now and into later sessions', async () => {
    const s = session({ variables: { SERVICE_NAME: 'cvd' } });
    s.setVariables({ TRICKY: `a'b "c" $HOME \`id\`` });
    const r = await s.run('printf "%s|%s" "$SERVICE_NAME" "$TRICKY"');
    assert.equal(r.stdout, `cvd|a'b "c" $HOME \`id\``);
    s.restart();
    assert.equal((await s.run('printf %s "$TRICKY"')).stdout, `a'b "c" $HOME \`id\``);
  });

  it('is not fooled by output that lists the shell state (set, declare -f) or by set -x', async () => {
    const s = session();
    const listed = await s.run('set >/dev/null; set | grep -c __rb_post >/dev/null; declare -f __rb_post | head -3');
    assert.equal(listed.exitCode, 0);
    assert.match(listed.stdout, /__rb_post/);
    const traced = await s.run('set -x; echo traced');
    assert.equal(traced.stdout, 'traced\n');
    assert.match(traced.stderr, /echo traced/);
    assert.doesNotMatch(traced.stderr, /__rb|builtin/, 'framing commands are not traced');
    const still = await s.run('echo again');
    assert.match(still.stderr, /echo again/, 'xtrace stays on for the next cell');
    assert.doesNotMatch(still.stderr, /__rb|builtin/);
  });

  it('streams a huge output and keeps only a capped head and tail', async () => {
    const s = session({ maxOutputBytes: 64 * 1024 });
    let streamed = 0;
    let chunks = 0;
    const r = await s.run('seq 1 2000000', {
      onStdout: (c) => {
        streamed += Buffer.byteLength(c);
        chunks++;
      },
    });
    const total = Buffer.byteLength(Array.from({ length: 2000000 }, (_, i) => `${i + 1}\n`).join(''));
    assert.equal(streamed, total);
    assert.ok(chunks > 10, 'delivered as it came, not at the end');
    assert.equal(r.exitCode, 0);
    assert.match(r.stdout, /^1\n2\n3\n/);
    assert.match(r.stdout, /\n1999999\n2000000\n$/);
    assert.match(r.stdout, new RegExp(`\\n… ${r.cutBytes} bytes cut …\\n`));
    assert.ok(Buffer.byteLength(r.stdout) < 64 * 1024 + 100);
    assert.equal(total - r.cutBytes, Buffer.byteLength(r.stdout.replace(/… \d+ bytes cut …\n/, '')));
  });

  it('redacts secrets and token shapes before any listener or result sees them', async () => {
    const secret = 'hunter2-very-secret';
    const s = session({ redact: createRedactor([{ name: 'DB_PASSWORD', value: secret }]) });
    s.setVariables({ DB_PASSWORD: secret });
    const seen: string[] = [];
    // The secret is printed in two writes 300 ms apart: longer than the quiet-stream flush (150 ms), so the
    // first half must be held back as the possible start of a secret.
    const r = await s.run(
      'echo "pw=$DB_PASSWORD"; printf "%s" "${DB_PASSWORD:0:7}"; sleep 0.3; printf "%s\\n" "${DB_PASSWORD:7}"; ' +
        'echo "Authorization: Bearer abcdefghijklmnop" >&2; echo AKIAABCDEFGHIJKLMNOP',
      { onStdout: (c) => seen.push(c), onStderr: (c) => seen.push(c) },
    );
    const all = seen.join('') + r.stdout + r.stderr;
    assert.ok(!all.includes(secret) && !all.includes('abcdefghijklmnop') && !all.includes('AKIAABCDEFGHIJKLMNOP'), all);
    assert.equal(r.stdout, 'pw=[REDACTED:DB_PASSWORD]\n[REDACTED:DB_PASSWORD]\n[REDACTED:AWS_ACCESS_KEY_ID]\n');
    assert.equal(r.stderr, 'Authorization: Bearer [REDACTED:AUTHORIZATION]\n');
  });
});
