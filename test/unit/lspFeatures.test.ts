// The language server's features as plain functions (views, completion, hover, quick fixes), without a
// connection: the cases the protocol test does not cover.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver/node';
import { codeActions } from '../../src/lsp/codeActions.js';
import { complete } from '../../src/lsp/completion.js';
import { maskSecrets } from '../../src/lsp/describe.js';
import { hover } from '../../src/lsp/hover.js';
import { textView } from '../../src/lsp/views.js';

const URI = 'file:///x.runbook.md';
const view = (text: string) => textView(TextDocument.create(URI, 'markdown', 1, text), {});
const labels = (text: string, line: number, character: number) => {
  const v = view(text);
  return complete(v.ctx, v.spotAt(URI, line, character)!)?.items.map((i) => i.label);
};
const apply = (text: string, edits: TextEdit[]) => TextDocument.applyEdits(TextDocument.create(URI, 'markdown', 1, text), edits);

const FM = '---\nhosts:\n  web: { ssh: a@web }\nconnections:\n  db1: { driver: sqlite, path: /d.db, host: web }\nvariables:\n  SVC: { default: x }\n  KEY: { prompt: k, secret: true, default: "s3cret" }\n---\n';

describe('lsp: completion', () => {
  it('completes variables after ${ and {{, hosts after host: in the front matter', () => {
    const text = `${FM}\`\`\`bash\necho \${S\n\`\`\`\n\`\`\`http\nGET {{\n\`\`\`\n`;
    assert.deepEqual(labels(text, 10, 8), ['SVC', 'KEY']);
    assert.deepEqual(labels(text, 13, 6), ['SVC', 'KEY']);
    assert.deepEqual(labels(text, 4, 45), ['web', 'local']);
  });

  it('offers boolean values after confirm= and leaves out keys already written', () => {
    const text = '```bash {name=a confirm=}\nls\n```\n';
    assert.deepEqual(labels(text, 0, 24), ['true', 'false']);
    assert.ok(!labels(text, 0, 15)!.includes('name'));
  });

  it('completes nothing in prose', () => {
    assert.equal(labels('Use host=\n', 0, 9), undefined);
  });
});

describe('lsp: hover', () => {
  it('never shows a secret default, and masks URL passwords', () => {
    const v = view(`${FM}Set KEY and SVC.\n`);
    const h = hover(v.ctx, v.spotAt(URI, 9, 5)!)!;
    assert.match(h.markdown, /secret/);
    assert.doesNotMatch(h.markdown, /s3cret/);
    assert.equal(maskSecrets('postgres://u:pw@h:5/db?sslmode=x&password=zz'), 'postgres://u:***@h:5/db?sslmode=x&password=***');
    assert.equal(maskSecrets('mysql://u@h/db'), 'mysql://u@h/db');
  });

  it('shows where a sqlite connection runs', () => {
    const v = view(`${FM}\`\`\`sql {db=db1}\nselect 1\n\`\`\`\n`);
    const h = hover(v.ctx, v.spotAt(URI, 9, 12)!)!;
    assert.match(h.markdown, /database file: `\/d\.db`/);
    assert.match(h.markdown, /runs sqlite3 on host `web` → `a@web`/);
  });
});

describe('lsp: quick fixes', () => {
  it('creates the front matter when there is none', () => {
    const text = '# T\n\n```bash\ncurl https://your-domain.com/x\n```\n';
    const [fix] = codeActions(view(text), URI, { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } });
    assert.equal(apply(text, fix!.edit!.changes![URI]!),
      '---\nvariables:\n  DOMAIN: { prompt: "Domain" }\n---\n# T\n\n```bash\ncurl https://${DOMAIN}/x\n```\n');
  });

  it('adds a variables section to front matter without one, and replaces every occurrence on request', () => {
    const text = '---\ntitle: t\n---\n```http\nGET https://your-api.com/a\nGET https://your-api.com/b\n```\n';
    const actions = codeActions(view(text), URI, { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } });
    assert.deepEqual(actions.map((a) => a.title), [
      'Make "your-api.com" the variable API ({{API}})', 'Make "your-api.com" the variable API in all 2 places',
    ]);
    assert.equal(apply(text, actions[1]!.edit!.changes![URI]!),
      '---\ntitle: t\nvariables:\n  API: { prompt: "Api" }\n---\n```http\nGET https://{{API}}/a\nGET https://{{API}}/b\n```\n');
  });

  it('reuses a variable that exists, and adds confirm to JSON attributes or a bare fence', () => {
    const text = '---\nvariables:\n  SUSPICIOUS_IP: { prompt: ip }\n---\n```bash {"name":"b"}\nufw deny from SUSPICIOUS_IP\n```\n```sh\nrm -rf /x\n```\n';
    const v = view(text);
    const first = codeActions(v, URI, { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } });
    assert.deepEqual(first.map((a) => a.title), ['Use the variable SUSPICIOUS_IP (${SUSPICIOUS_IP})', 'Add confirm=true to the fence']);
    assert.equal(apply(text, first[0]!.edit!.changes![URI]!).split('\n')[5], 'ufw deny from ${SUSPICIOUS_IP}');
    assert.equal(apply(text, first[1]!.edit!.changes![URI]!).split('\n')[4], '```bash {"name":"b", "confirm": true}');
    const bare = codeActions(v, URI, { start: { line: 8, character: 0 }, end: { line: 8, character: 0 } });
    assert.equal(apply(text, bare[0]!.edit!.changes![URI]!).split('\n')[7], '```sh {confirm=true}');
  });

  it('turns confirm=false into confirm=true', () => {
    const text = '```bash {confirm=false name=x}\nsudo reboot\n```\n';
    const [fix] = codeActions(view(text), URI, { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } });
    assert.equal(apply(text, fix!.edit!.changes![URI]!).split('\n')[0], '```bash {confirm=true name=x}');
  });
});
