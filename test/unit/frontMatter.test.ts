// Front matter: validated with zod, never blocking, kept verbatim, problems reported with their line.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRunbook, serializeRunbook } from '../../src/core/format/index.js';

describe('front matter', () => {
  it('parses hosts, connections, variables and severity targets', () => {
    const text = '---\ntitle: CVD\nhosts:\n  cvd-prod: { ssh: deploy@10.0.0.5, port: 22, jump: bastion }\nconnections:\n  cvd-db: { driver: sqlite, path: /opt/cvd/data/cvd.db, host: cvd-prod }\nvariables:\n  SLACK_WEBHOOK_URL: { prompt: "Slack webhook", secret: true }\nseverity: { P0: 15m, P1: 1h }\n---\n# Body\n';
    const fm = parseRunbook(text).frontMatter;
    assert.deepEqual(fm?.errors, []);
    assert.equal(fm?.data?.hosts?.['cvd-prod']?.ssh, 'deploy@10.0.0.5');
    assert.equal(fm?.data?.connections?.['cvd-db']?.driver, 'sqlite');
    assert.equal(fm?.data?.variables?.SLACK_WEBHOOK_URL?.secret, true);
    assert.equal(fm?.data?.severity?.P0, '15m');
  });

  it('reports schema errors with the document line and keeps the text', () => {
    const text = '---\ntitle: x\nhosts:\n  web: { port: 22 }\nseverity:\n  P0: soon\n---\nBody\n';
    const doc = parseRunbook(text);
    assert.equal(doc.frontMatter?.data, undefined);
    const byPath = Object.fromEntries(doc.frontMatter!.errors.map((e) => [e.message.split(':')[0], e.line]));
    assert.equal(byPath['hosts.web.ssh'], 3);
    assert.equal(byPath['severity.P0'], 5);
    assert.equal(serializeRunbook(doc), text);
    assert.equal(doc.cells[0]?.source, 'Body');
  });

  it('reports YAML syntax errors with a line and still opens', () => {
    const text = '---\ntitle: ok\nhosts: [unclosed\n---\n# Body\n';
    const doc = parseRunbook(text);
    assert.ok(doc.frontMatter!.errors.length > 0);
    assert.match(doc.frontMatter!.errors[0]!.message, /^YAML: /);
    assert.equal(typeof doc.frontMatter!.errors[0]!.line, 'number');
    assert.equal(doc.cells[0]?.source, '# Body');
    assert.equal(serializeRunbook(doc), text);
  });

  it('treats an unclosed front matter as prose', () => {
    const doc = parseRunbook('---\ntitle: x\n# Body\n');
    assert.equal(doc.frontMatter, undefined);
    assert.equal(doc.cells.length, 2);
  });
});
