// Secrets never reach any artifact (DESIGN §3): secrets are planted through every path a run has (shell
// output in many encodings and split by escape codes, multi-line values, HTTP URLs, headers and echoed
// bodies, SQL errors, error messages) and every artifact is searched for them: the record, its log, the
// HTML export, the dry run, the CLI's stdout and stderr. A front matter that does not validate blocks
// running and dry runs, with its error shown.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseRunbook } from '../../src/core/format/index.js';
import { exportHtml } from '../../src/core/incident/html.js';
import { startHttpServer, type HttpTestServer } from '../harness/httpServer.js';
import { repoRoot } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'rb-secrets-'));
const TOKEN = 'tok-Sekr3t/val+ue x';
const PIN = 'Zq';
const KEY = 'line-one-KEYAAA\nline-two-KEYBBB\nline-three-KEYCCC';
const VARS = ['--var', `API_TOKEN=${TOKEN}`, '--var', `PIN=${PIN}`, '--var', `SSH_KEY=${KEY}`];

/** The CLI as a child process, asynchronously: the test's HTTP server must keep answering meanwhile. */
function runbook(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), ...args],
    { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

/** Every way the planted secrets could show: verbatim parts, percent-encoded, base64 at each alignment, JSON. */
function leaks(text: string): string[] {
  const needles = ['Sekr3t', 'KEYAAA', 'KEYBBB', 'KEYCCC', `pin ${PIN}`, `${PIN}!`];
  for (let offset = 0; offset < 3; offset++) {
    for (const enc of ['base64', 'base64url'] as const) {
      const b64 = Buffer.concat([Buffer.alloc(offset), Buffer.from(TOKEN)]).toString(enc);
      needles.push(b64.slice(4, 20));
    }
  }
  return needles.filter((n) => text.includes(n));
}

function frontMatter(extra = ''): string {
  return `---
variables:
  API_TOKEN: { secret: true }
  PIN: { secret: true }
  SSH_KEY: { secret: true }
connections:
  db: { driver: sqlite, path: ${join(dir, 'x.db')} }
${extra}---
`;
}

function body(server: HttpTestServer): string {
  return `# Planted secrets

\`\`\`bash {name=shell-forms}
echo "plain $API_TOKEN"
printf '%s' "$API_TOKEN" | base64
printf 'user:%s' "$API_TOKEN" | base64 -w0; echo
printf '%s' "$API_TOKEN" | base64 -w0 | tr '+/' '-_'; echo
python3 -c 'import os, urllib.parse as u; t = os.environ["API_TOKEN"]; print(u.quote(t, safe="")); print(u.quote_plus(t)); import re; print(re.sub("%[0-9A-F]{2}", lambda m: m.group(0).lower(), u.quote(t)))'
python3 -c 'import json, os; print(json.dumps({"t": os.environ["API_TOKEN"]})); print(json.dumps({"k": os.environ["SSH_KEY"]}))'
printf 'split %s\\033[0m%s!\\n' "\${API_TOKEN:0:6}" "\${API_TOKEN:6}"
echo "pin $PIN!"
printf '%s\\n' "$SSH_KEY"
echo "one line: $(printf '%s\\n' "$SSH_KEY" | sed -n 2p)"
echo "STRIPE=sk_live_4eC39HqLyjWDarjtT1zdp7dc AIzaSyA-1234567890abcdefghijklmnopqrstu"
\`\`\`

\`\`\`http {name=call}
POST ${server.url}/echo?token={{API_TOKEN}}&pin={{PIN}}
Authorization: Bearer {{API_TOKEN}}
Content-Type: application/json

{"token": "{{API_TOKEN}}"}
\`\`\`

\`\`\`http {name=unreachable}
GET http://127.0.0.1:1/path/{{API_TOKEN}}
\`\`\`

\`\`\`sql {name=query db=db}
SELECT * FROM "{{API_TOKEN}}";
\`\`\`
`;
}

describe('secrets never reach any artifact', () => {
  let server: HttpTestServer;
  before(async () => {
    server = await startHttpServer();
    assert.equal(spawnSync('sqlite3', [join(dir, 'x.db'), 'CREATE TABLE t(x);']).status, 0, 'sqlite3 is installed');
  });
  after(() => server.stop());

  it('the record, its log, the HTML and PDF exports, the dry run and the CLI output hold none of them', async () => {
    const file = join(dir, 'planted.runbook.md');
    writeFileSync(file, frontMatter() + body(server));
    const run = await runbook(['run', file, '--all', '--continue-on-error', ...VARS, '--out', join(dir, 'record.md')]);
    const record = readFileSync(join(dir, 'record.md'), 'utf8');
    // The secrets did reach the commands: the server saw them, the record says they were redacted.
    const seen = server.requests.find((r) => r.url.startsWith('/echo'));
    assert.ok(seen && decodeURIComponent(seen.url).includes('Sekr3t'), 'the request carried the secret');
    assert.match(record, /\[REDACTED:API_TOKEN\]/);
    assert.match(record, /\[REDACTED:SSH_KEY\]/);
    assert.match(record, /\[REDACTED:PIN\]/);
    assert.match(record, /\[REDACTED:STRIPE_KEY\]/);
    assert.match(record, /no such table: \[REDACTED:API_TOKEN\]/, 'the SQL error ran and was redacted');
    const logAt = record.indexOf('<!-- runbook:log -->');
    assert.ok(logAt > 0, 'the record has its log');
    assert.deepEqual(leaks(record.slice(0, logAt)), [], 'outputs');
    assert.deepEqual(leaks(record.slice(logAt)), [], 'execution log');
    assert.deepEqual(leaks(run.out), [], 'CLI stdout');
    assert.deepEqual(leaks(run.err), [], 'CLI stderr');
    assert.doesNotMatch(record, /%2F|%2B|%20/i, 'no percent-encoded secret anywhere (the URL form is redacted too)');

    const html = join(dir, 'record.html');
    const pdf = join(dir, 'record.pdf');
    const exported = await runbook(['incident', 'export', join(dir, 'record.md'), '--out', html, '--pdf', pdf]);
    assert.equal(exported.code, 0, exported.err);
    assert.deepEqual(leaks(readFileSync(html, 'utf8')), [], 'HTML export');
    assert.deepEqual(leaks(exported.out + exported.err), [], 'export CLI output');
    // The PDF as text (poppler's pdftotext): the redaction markers are there, the secrets are not.
    const text = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    assert.equal(text.status, 0, `pdftotext (Debian poppler-utils): ${text.stderr}`);
    assert.match(text.stdout.replace(/\s+/g, ''), /\[REDACTED:API_TOKEN\]/, 'the PDF text is readable');
    assert.deepEqual(leaks(text.stdout), [], 'PDF export');

    const dry = await runbook(['incident', 'dry-run', file, '--all', ...VARS]);
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, /shell-forms/);
    assert.deepEqual(leaks(dry.out + dry.err), [], 'dry run');
  });

  it('a front matter that does not parse or validate blocks running and dry runs, naming the error', async () => {
    for (const [name, broken] of [
      ['yaml', frontMatter('severity: { P0: 15m\n')],
      ['schema', frontMatter('hosts: 12\n')],
    ] as const) {
      const file = join(dir, `broken-${name}.runbook.md`);
      writeFileSync(file, broken + body(server));
      const out = join(dir, `broken-${name}.md`);
      const before = server.requests.length;
      const run = await runbook(['run', file, '--all', '--continue-on-error', ...VARS, '--out', out]);
      assert.notEqual(run.code, 0, `${name}: the run fails`);
      assert.match(run.out + run.err, /front matter has errors/, name);
      assert.equal(server.requests.length, before, `${name}: nothing was sent`);
      const record = existsSync(out) ? readFileSync(out, 'utf8') : '';
      assert.doesNotMatch(record, /runbook:output/, `${name}: no cell ran`);
      assert.deepEqual(leaks(record + run.out + run.err), [], name);
      const dry = await runbook(['incident', 'dry-run', file, '--all', ...VARS]);
      assert.notEqual(dry.code, 0);
      assert.match(dry.err, /front matter has errors/);
      assert.deepEqual(leaks(dry.out + dry.err), [], `${name}: dry run`);
    }
  });

  it('the HTML export redacts after removing escape codes (an older record with a token split by a colour code)', () => {
    const record = '# r\n\n```bash {name=a}\nenv\n```\n\n<!-- runbook:output {"cell":"a","exit":0} -->\n```text\n'
      + 'GH_TOKEN=ghp_aBcDeFgHiJkLmNoP\u001b[0mqRsTuVwXyZ0123456789\nSTRIPE sk_live_4eC39Hq\u001b[1mLyjWDarjtT1zdp7dc\n```\n<!-- /runbook:output -->\n';
    const html = exportHtml(parseRunbook(record));
    assert.doesNotMatch(html, /qRsTuVwXyZ|LyjWDarj/, 'no reassembled token in the HTML');
    assert.match(html, /\[REDACTED:(GITHUB_TOKEN|TOKEN)\]/);
    assert.match(html, /\[REDACTED:STRIPE_KEY\]/);
  });
});
