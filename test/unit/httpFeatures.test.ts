// HTTP cell features for incident work, against a real loopback server: named responses used by later
// cells of the session, httpYac `??` assertions that fail the cell, body files kept inside the workspace,
// GraphQL shorthand, Basic credentials redacted in both forms, and bodies shown when they are text
// whatever Content-Type says (binary ones summarised).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HttpExecutor, type HttpExecutorOptions } from '../../src/core/http/index.js';
import type { ExecutionRequest, ResolvedTarget } from '../../src/core/contract/types.js';

const LOCAL: ResolvedTarget = { name: 'local', kind: 'local', label: 'me@here', user: 'me', host: 'here' };
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

describe('HTTP cells: named requests, assertions, body files, bodies', () => {
  let server: Server;
  let origin = '';
  const seen: { url: string; headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        seen.push({ url: req.url!, headers: req.headers, body });
        const send = (type: string, data: string | Buffer, status = 200, extra: Record<string, string> = {}) => {
          res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(data), ...extra });
          res.end(data);
        };
        if (req.url === '/login') return send('application/json', '{"token":"t-123","user":{"id":7}}', 200, { 'x-authtoken': 'hdr-456' });
        if (req.url === '/octet-json') return send('application/octet-stream', '{"status":"ok","items":[1,2]}');
        if (req.url === '/png') return send('image/png', PNG);
        if (req.url === '/latin1') return send('application/octet-stream', Buffer.from([0x63, 0x61, 0x66, 0xe9]));
        if (req.url === '/fail') return send('application/json', '{"error":"down"}', 503);
        if (req.url === '/echo') return send('application/json', JSON.stringify({ headers: req.headers, body }));
        return send('application/json', '{"status":"ok","n":3}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server?.close());

  const req = (source: string, extra: Partial<ExecutionRequest> = {}): ExecutionRequest =>
    ({ source, language: 'http', attributes: {}, cellName: 'c', target: LOCAL, variables: {}, ...extra });
  const make = (o: HttpExecutorOptions = {}) => new HttpExecutor(o);

  it('a named response is used by a later cell of the session, in a request and a file variable', async () => {
    const ex = make();
    const one = await ex.run(req(`# @name login\nPOST ${origin}/login\n`));
    assert.equal(one.exitCode, 0, one.message);
    const two = await ex.run(req(`@session = {{login.response.headers.X-AuthToken}}\nGET ${origin}/next?t={{login.response.body.$.token}}&id={{login.response.body.$.user.id}}\nX-Session: {{session}}\n`));
    assert.equal(two.exitCode, 0, two.message);
    const last = seen.at(-1)!;
    assert.equal(last.url, '/next?t=t-123&id=7');
    assert.equal(last.headers['x-session'], 'hdr-456');
    // A fresh session does not know it.
    const fresh = await make().run(req(`GET ${origin}/next?t={{login.response.body.$.token}}\n`));
    assert.equal(fresh.exitCode, 1);
    assert.match(fresh.outputs[0]!.text, /no request named "login" \(# @name login\) has run in this session yet/);
    ex.dispose();
  });

  it('?? assertions pass, or fail the cell and stop later requests', async () => {
    const ok = await make().run(req(`GET ${origin}/health\n\n?? status == 200\n?? header content-type includes json\n?? body $.status == ok\n?? body $.n > 2\n?? duration < 60000\n`));
    assert.equal(ok.exitCode, 0, ok.message);
    const a = ok.outputs.find((o) => o.meta.kind === 'http-assert')!;
    assert.equal(a.text, '✓ status == 200\n✓ header content-type includes json\n✓ body $.status == ok\n✓ body $.n > 2\n✓ duration < 60000');
    const bad = await make().run(req(`GET ${origin}/health\n\n?? status == 201\n?? body $.status == ok\n\n###\nGET ${origin}/never\n`));
    assert.equal(bad.exitCode, 1);
    assert.match(bad.message!, /1 assertion failed for GET .*\/health: status == 201/);
    const b = bad.outputs.find((o) => o.meta.kind === 'http-assert')!;
    assert.equal(b.text, '✗ status == 201 (got 200)\n✓ body $.status == ok');
    assert.ok(!seen.some((s) => s.url === '/never'), 'the later request was not sent');
    assert.match(bad.outputs.at(-1)!.text, /1 later request was not sent/);
    const syntax = await make().run(req(`GET ${origin}/health\n\n?? status is 200\n`));
    assert.equal(syntax.exitCode, 1);
    assert.match(syntax.outputs[0]!.text, /line 3: .*expected an operator/);
  });

  it('body files: relative to the runbook, refused outside the workspace', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rb-bodyfiles-'));
    mkdirSync(join(root, 'runbooks'));
    writeFileSync(join(root, 'payload.json'), '{"in":"workspace"}');
    writeFileSync(join(tmpdir(), 'rb-outside.json'), '{"secret":true}');
    const ex = make({ bodyFiles: { baseDir: join(root, 'runbooks'), root } });
    const ok = await ex.run(req(`POST ${origin}/echo\nContent-Type: application/json\n\n< ../payload.json\n`));
    assert.equal(ok.exitCode, 0, ok.message);
    assert.equal(seen.at(-1)!.body, '{"in":"workspace"}');
    for (const path of ['../../rb-outside.json', '/etc/passwd', '~/.ssh/id_rsa']) {
      const before = seen.length;
      const r = await ex.run(req(`POST ${origin}/echo\n\n< ${path}\n`));
      assert.equal(r.exitCode, 1, path);
      assert.match(r.outputs[0]!.text, /body files must be inside the workspace|no such file/, path);
      assert.equal(seen.length, before, `nothing sent for ${path}`);
    }
  });

  it('GraphQL shorthand and anonymous queries are wrapped as REST Client does', async () => {
    const r = await make().run(req(`POST ${origin}/echo\nContent-Type: application/json\nX-REQUEST-TYPE: GraphQL\n\n{\n  health { ok }\n}\n`));
    assert.equal(r.exitCode, 0, r.message);
    assert.deepEqual(JSON.parse(seen.at(-1)!.body), { query: '{\n  health { ok }\n}' });
  });

  it('Basic credentials are encoded and redacted in both forms wherever the response echoes them', async () => {
    for (const auth of ['Basic ops:hunter22', 'Basic ops hunter22']) {
      const r = await make().run(req(`GET ${origin}/echo\nAuthorization: ${auth}\n`));
      assert.equal(r.exitCode, 0, r.message);
      assert.equal(seen.at(-1)!.headers.authorization, `Basic ${Buffer.from('ops:hunter22').toString('base64')}`);
      const text = r.outputs.map((o) => o.text).join('\n');
      assert.doesNotMatch(text, /hunter22|b3BzOmh1bnRlcjIy/, auth);
    }
  });

  it('a text body is shown whatever its Content-Type; a binary one is summarised', async () => {
    const r = await make().run(req(`GET ${origin}/octet-json\n###\nGET ${origin}/png\n###\nGET ${origin}/latin1\n`));
    assert.equal(r.exitCode, 0, r.message);
    assert.match(r.outputs[0]!.text, /content-type: application\/octet-stream\n[^]*\n\n\{\n {2}"status": "ok",\n {2}"items": \[/);
    assert.match(r.outputs[1]!.text, /\[binary body not shown: 33 bytes of image\/png, sha256 [0-9a-f]{64}, first bytes 89 50 4e 47 0d 0a 1a 0a/);
    assert.match(r.outputs[2]!.text, /\[binary body not shown: 4 bytes of application\/octet-stream/, 'not UTF-8: summarised');
  });
});
