// HTTP cells against a real local HTTP server (test/harness/httpServer.ts): REST Client grammar, pretty
// JSON (big numbers exact), POST bodies and headers, `###` sequences, variables, redaction of credentials
// and secrets, clear errors (bad URL, connection refused, timeout, cancel), and the tunnel hook.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HttpExecutor, parseHttpCell, prettyJson, substitute, type Forward, type HttpExecutorOptions } from '../../src/core/http/index.js';
import type { ExecutionRequest, ResolvedTarget } from '../../src/core/contract/types.js';
import { startHttpServer, type HttpTestServer } from '../harness/httpServer.js';
import { freePort } from '../harness/postgres.js';

const LOCAL: ResolvedTarget = { name: 'local', kind: 'local', label: 'me@here', user: 'me', host: 'here' };
const REMOTE: ResolvedTarget = { name: 'cvd-prod', kind: 'ssh', label: 'deploy@cvd-prod:22', user: 'deploy', host: 'cvd-prod', port: 22 };

function httpRequest(source: string, extra: Partial<ExecutionRequest> = {}): ExecutionRequest {
  return { source, language: 'http', attributes: {}, cellName: 'cell-1', target: LOCAL, variables: {}, ...extra };
}

describe('REST Client grammar', () => {
  it('reads requests, headers, bodies, comments, names, file variables and separators', () => {
    const p = parseHttpCell([
      '@base = http://localhost:5000',
      '# a comment',
      '// @name health',
      'GET {{base}}/health HTTP/1.1',
      '    ?verbose=1',
      '    &x=2',
      'Accept: application/json',
      '# header comment',
      '',
      '###  second',
      'POST {{base}}/items',
      'Content-Type: application/json',
      '',
      '{"a": 1}',
      '',
      '',
      '### bare URL means GET',
      'https://example.com/ping',
    ].join('\n'));
    assert.deepEqual(p.errors, []);
    assert.deepEqual(p.fileVariables, [['base', 'http://localhost:5000']]);
    assert.deepEqual(p.requests.map((r) => [r.name, r.method, r.url, r.headers, r.body, r.line]), [
      ['health', 'GET', '{{base}}/health?verbose=1&x=2', [['Accept', 'application/json']], undefined, 4],
      [undefined, 'POST', '{{base}}/items', [['Content-Type', 'application/json']], '{"a": 1}', 11],
      [undefined, 'GET', 'https://example.com/ping', [], undefined, 18],
    ]);
  });

  it('reports lines that are neither request lines nor headers', () => {
    assert.deepEqual(parseHttpCell('FETCH the thing').errors, [{ line: 1, message: 'expected a request line such as "GET https://host/path" (or a bare URL), got "FETCH the thing"' }]);
    assert.match(parseHttpCell('GET http://x/\nnot a header').errors[0]!.message, /expected a header "Name: value"/);
  });

  it('substitutes variables and system variables, mapping offsets back', () => {
    const s = substitute('a {{X}} b {{$processEnv HOME_X}} {{$timestamp}} {{$guid}}', { variables: { X: 'xx' }, env: { HOME_X: '/h' }, now: () => new Date(1_700_000_000_000) });
    assert.match(s.text, /^a xx b \/h 1700000000 [0-9a-f-]{36}$/);
    assert.equal(s.toSource(s.text.indexOf('b')), 'a {{X}} '.length);
    assert.throws(() => substitute('{{NOPE}}', { variables: {} }), /\{\{NOPE\}\} has no value/);
  });

  it('pretty-prints JSON without rounding numbers', () => {
    assert.equal(prettyJson('{"id":12345678901234567890,"a":[],"b":{"c":[1,"x,y"]}}'), '{\n  "id": 12345678901234567890,\n  "a": [],\n  "b": {\n    "c": [\n      1,\n      "x,y"\n    ]\n  }\n}');
    assert.equal(prettyJson('not json'), undefined);
  });
});

describe('HTTP cells against a local server', () => {
  let server: HttpTestServer;
  const executors: HttpExecutor[] = [];
  const make = (options: HttpExecutorOptions = {}): HttpExecutor => {
    const e = new HttpExecutor(options);
    executors.push(e);
    return e;
  };
  before(async () => {
    server = await startHttpServer();
  });
  after(async () => {
    executors.forEach((e) => e.dispose());
    await server.stop();
  });

  it('GETs JSON: status line, headers, pretty body, timing in meta', async () => {
    const r = await make().run(httpRequest(`GET ${server.url}/json\nAccept: application/json`));
    assert.equal(r.exitCode, 0, r.message);
    assert.equal(r.outputs.length, 1);
    const o = r.outputs[0]!;
    assert.equal(o.lang, 'http');
    assert.equal(o.meta.status, 200);
    assert.equal(o.meta.request, `GET ${server.url}/json`);
    assert.equal(typeof o.meta.durationMs, 'number');
    assert.match(o.text, /^HTTP\/1\.1 200 OK\n/);
    assert.match(o.text, /\ncontent-type: application\/json\n/);
    assert.match(o.text, /\n\n\{\n {2}"service": "cvd",\n {2}"status": "degraded",\n {2}"checks": \[\n {4}\{\n {6}"name": "db",/);
    assert.match(o.text, /"bigId": 12345678901234567890\n\}$/);
    assert.equal(server.requests.at(-1)!.headers.accept, 'application/json');
  });

  it('POSTs a body with headers', async () => {
    const r = await make().run(httpRequest(`POST ${server.url}/echo HTTP/1.1\nContent-Type: application/json\nX-Request-Id: abc-1\n\n{\n  "action": "restart"\n}`));
    assert.equal(r.exitCode, 0, r.message);
    const seen = server.requests.at(-1)!;
    assert.equal(seen.method, 'POST');
    assert.equal(seen.body, '{\n  "action": "restart"\n}');
    assert.equal(seen.headers['content-type'], 'application/json');
    assert.equal(seen.headers['x-request-id'], 'abc-1');
    assert.match(r.outputs[0]!.text, /"method": "POST"/);
  });

  it('runs ### separated requests in order, each its own output; named responses feed later ones', async () => {
    const before = server.requests.length;
    const r = await make().run(httpRequest([
      `@base = ${server.url}`,
      '# @name info',
      'GET {{base}}/json',
      '###',
      'POST {{base}}/echo',
      'Content-Type: text/plain',
      '',
      'version={{info.response.body.$.build.version}} check={{info.response.body.$.checks[1].name}}',
      '###',
      'GET {{base}}/fail',
      '###',
      '{{base}}/text',
    ].join('\n')));
    assert.deepEqual(server.requests.slice(before).map((q) => `${q.method} ${q.url}`), ['GET /json', 'POST /echo', 'GET /fail', 'GET /text']);
    assert.deepEqual(r.outputs.map((o) => [o.meta.index, o.meta.status]), [[1, 200], [2, 200], [3, 503], [4, 200]]);
    assert.equal(r.outputs[0]!.meta.name, 'info');
    assert.equal(server.requests[before + 1]!.body, 'version=1.2.3 check=queue');
    assert.match(r.outputs[3]!.text, /\n\nall good\nsecond line\n$/);
    assert.equal(r.exitCode, 1, 'an HTTP error status fails the cell');
    assert.match(r.message!, new RegExp(`^HTTP 503 Service Unavailable from GET ${server.url}/fail`));
  });

  it('substitutes {{variables}} in URL, headers and body', async () => {
    const r = await make().run(httpRequest('GET {{BASE}}/echo?svc={{SERVICE}}\nX-Service: {{SERVICE}}\n\n{{SERVICE}} body', { variables: { BASE: server.url, SERVICE: 'cvd' } }));
    assert.equal(r.exitCode, 0, r.message);
    const seen = server.requests.at(-1)!;
    assert.equal(seen.url, '/echo?svc=cvd');
    assert.equal(seen.headers['x-service'], 'cvd');
    assert.equal(seen.body, 'cvd body', 'a GET with a body is sent (Elasticsearch style)');
    const missing = await make().run(httpRequest(`GET ${server.url}/{{NOPE}}`));
    assert.equal(missing.exitCode, 1);
    assert.match(missing.message!, /\{\{NOPE\}\} has no value: no variable "NOPE" in this notebook session/);
  });

  it('redacts Authorization, cookies and secret variables in the record', async () => {
    const token = 'tok-3f9a8c7e-secret';
    const r = await make({ secrets: ['API_TOKEN'] }).run(httpRequest([
      `POST ${server.url}/echo`,
      'Authorization: Bearer {{API_TOKEN}}',
      'X-Api-Key: literal-key-12345',
      'Cookie: sid=cookie-value-999',
      '',
      '{"token": "{{API_TOKEN}}"}',
      '###',
      `GET ${server.url}/cookie`,
    ].join('\n'), { variables: { API_TOKEN: token } }));
    assert.equal(r.exitCode, 0, r.message);
    assert.equal(server.requests.at(-2)!.headers.authorization, `Bearer ${token}`, 'the real value is sent');
    const record = JSON.stringify({ outputs: r.outputs, message: r.message });
    for (const secret of [token, 'literal-key-12345', 'cookie-value-999', 's3cr3t-session-value']) assert.doesNotMatch(record, new RegExp(secret));
    assert.match(r.outputs[1]!.text, /\nset-cookie: session=\[REDACTED\]; HttpOnly\n/);
    assert.match(r.outputs[0]!.text, /REDACTED/);
  });

  it('explains a bad URL, a refused connection and an unknown host', async () => {
    const bad = await make().run(httpRequest('GET http://exa mple.com/'));
    assert.equal(bad.exitCode, 1);
    assert.match(bad.message!, /not a valid URL|expected a request line/);
    const bad2 = await make().run(httpRequest('GET http://[::1/x'));
    assert.match(bad2.message!, /"http:\/\/\[::1\/x" is not a valid URL/);
    const ftp = await make().run(httpRequest('GET ftp://example.com/x'));
    assert.match(ftp.message!, /only http:\/\/ and https:\/\/ URLs can be requested/);
    const port = await freePort();
    const refused = await make().run(httpRequest(`GET http://127.0.0.1:${port}/health\n###\nGET ${server.url}/health`));
    assert.equal(refused.exitCode, 1);
    assert.match(refused.outputs[0]!.text, new RegExp(`^GET http://127\\.0\\.0\\.1:${port}/health\\nconnection refused by 127\\.0\\.0\\.1:${port}: nothing is listening there`));
    assert.equal(refused.outputs[0]!.meta.stream, 'stderr');
    assert.match(refused.outputs[1]!.text, /^1 later request was not sent\.$/);
    const dns = await make().run(httpRequest('GET http://no-such-host.invalid/health'));
    assert.match(dns.message!, /host name not found: no-such-host\.invalid/);
  });

  it('times out: per request and by the cell timeout', async () => {
    let t0 = Date.now();
    const r = await make({ requestTimeoutMs: 300 }).run(httpRequest(`GET ${server.url}/slow?ms=5000`));
    assert.ok(Date.now() - t0 < 1500);
    assert.equal(r.timedOut, true);
    assert.equal(r.exitCode, 1);
    assert.match(r.outputs[0]!.text, /timed out: no complete response within 300 ms/);
    t0 = Date.now();
    const c = await make().run(httpRequest(`GET ${server.url}/slow?ms=5000`, { attributes: { timeout: '400ms' } }));
    assert.ok(Date.now() - t0 < 1500);
    assert.equal(c.timedOut, true);
    assert.match(c.message!, /timed out: the cell's timeout of 400 ms was reached/);
  });

  it('cancels a request in flight', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const t0 = Date.now();
    const r = await make().run(httpRequest(`GET ${server.url}/slow?ms=5000\n###\nGET ${server.url}/health`, { signal: ac.signal }));
    assert.ok(Date.now() - t0 < 1000);
    assert.equal(r.cancelled, true);
    assert.equal(r.exitCode, null);
    assert.match(r.outputs[0]!.text, /cancelled after/);
  });

  it('caps a large body with a marker and names binary bodies', async () => {
    const r = await make({ maxBodyBytes: 1000 }).run(httpRequest(`GET ${server.url}/big?bytes=100000`));
    assert.match(r.outputs[0]!.text, /… 99000 bytes cut …/);
    assert.ok(r.outputs[0]!.text.length < 2000);
  });

  it('sends requests of a remote cell through the tunnel, keeping the Host header', async () => {
    const opened: string[] = [];
    let closed = 0;
    const connect = async (host: string, port: number, via: string): Promise<Forward> => {
      opened.push(`${host}:${port} via ${via}`);
      return { host: '127.0.0.1', port: server.port, close: () => closed++ };
    };
    const r = await make({ connect }).run(httpRequest('GET http://localhost:5000/echo\n###\nGET http://localhost:5000/redirect', { target: REMOTE }));
    assert.equal(r.exitCode, 0, r.message);
    assert.deepEqual(opened, ['localhost:5000 via cvd-prod', 'localhost:5000 via cvd-prod', 'localhost:5000 via cvd-prod']);
    assert.equal(closed, 3);
    assert.match(r.outputs[0]!.text, /"host": "localhost:5000"/);
    assert.equal(r.outputs[1]!.meta.status, 200, 'the redirect was followed through the tunnel');
    assert.equal(r.outputs[1]!.meta.url, 'http://localhost:5000/health');
    const without = await make().run(httpRequest('GET http://localhost:5000/health', { target: REMOTE }));
    assert.equal(without.exitCode, 1);
    assert.match(without.message!, /SSH tunnelling needs the SSH transport, which is not available here: the request to http:\/\/localhost:5000 goes through host "cvd-prod"/);
  });
});
