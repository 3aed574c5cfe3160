// Differential test against httpYac (a dev dependency, never bundled): the same `.http` requests, written
// in every form REST Client's documentation describes, sent by httpYac's CLI and by our HTTP executor to
// one loopback echo server; method, URL, headers and body must match. Client defaults (User-Agent,
// Accept-Encoding, ...) are left out of the comparison; every header the request writes is compared.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HttpExecutor } from '../../src/core/http/index.js';
import type { ResolvedTarget } from '../../src/core/contract/types.js';
import { HTTP_CASES } from './fixtures/httpCases.js';
import { requirement } from '../harness/requirement.js';

interface Seen {
  method: string;
  url: string;
  headers: [string, string][];
  body: string;
}

/** httpYac's CLI, from node_modules (or NODE_PATH). */
function httpyacCli(): string | undefined {
  try {
    const pkg = require.resolve('httpyac/package.json');
    const bin = (JSON.parse(readFileSync(pkg, 'utf8')) as { bin: Record<string, string> }).bin.httpyac!;
    return join(dirname(pkg), bin);
  } catch {
    return undefined;
  }
}

const CLI = httpyacCli();
const LOCAL: ResolvedTarget = { name: 'local', kind: 'local', label: 'me@here', user: 'me', host: 'here' };
/** What each client adds by itself. */
const CLIENT_DEFAULTS = new Set(['user-agent', 'accept-encoding', 'accept-language', 'sec-fetch-mode', 'connection', 'content-length', 'transfer-encoding']);
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

describe('HTTP requests vs httpYac (same .http, same echo server)', { skip: requirement(CLI ? undefined : 'httpyac is not installed (npm install)') }, () => {
  let server: Server;
  let seen: Seen[] = [];
  let origin = '';
  let port = 0;
  before(async () => {
    assert.ok(CLI, 'httpyac is missing: run npm install (it is a devDependency)');
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers: [string, string][] = [];
        for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!.toLowerCase(), req.rawHeaders[i + 1]!]);
        seen.push({ method: req.method!, url: req.url!, headers, body: Buffer.concat(chunks).toString('latin1') });
        const body = req.url === '/login' ? '{"token":"tok-body-42","ok":true}' : '{"status":"ok"}';
        res.writeHead(200, { 'content-type': 'application/json', 'x-authtoken': 'tok-header-7', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
    origin = `http://127.0.0.1:${port}`;
  });
  after(() => server?.close());

  const fill = (t: string) => t.replaceAll('@ORIGIN@', origin).replaceAll('@HOSTPORT@', `127.0.0.1:${port}`).replaceAll('@PORT@', String(port));

  function normalise(list: Seen[]) {
    return list.map((s) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of s.headers) if (!CLIENT_DEFAULTS.has(k) && !(k === 'accept' && v === '*/*')) headers[k] = headers[k] === undefined ? v : `${headers[k]}, ${v}`;
      const json = JSON.stringify({ method: s.method, url: s.url, headers, body: s.body });
      return JSON.parse(json.replace(UUID, '<uuid>')) as unknown;
    });
  }

  for (const c of HTTP_CASES) {
    it(c.name, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rb-httpdiff-'));
      for (const [rel, text] of Object.entries(c.files ?? {})) {
        mkdirSync(dirname(join(dir, rel)), { recursive: true });
        writeFileSync(join(dir, rel), text);
      }
      // httpYac
      const file = join(dir, 'requests.http');
      writeFileSync(file, fill(c.httpyac ?? c.http));
      seen = [];
      // Asynchronously: the echo server lives in this process.
      const r = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, [CLI!, 'send', file, '--all'], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } },
          (_err, stdout, stderr) => resolve({ stdout, stderr }));
      });
      const theirs = normalise(seen);
      assert.ok(theirs.length > 0, `httpyac sent nothing:\n${r.stdout}\n${r.stderr}`);
      // Ours
      seen = [];
      const ex = new HttpExecutor({ bodyFiles: { baseDir: dir } });
      const res = await ex.run({ source: fill(c.http), language: 'http', attributes: {}, cellName: 'c', target: LOCAL, variables: {} });
      ex.dispose();
      assert.equal(res.exitCode, 0, `${res.message}\n${res.outputs.map((o) => o.text).join('\n')}`);
      assert.deepEqual(normalise(seen), theirs, `httpyac output:\n${r.stdout.slice(0, 3000)}`);
    });
  }

  it('the corpus covers the REST Client forms', () => {
    assert.ok(HTTP_CASES.length >= 25);
    assert.ok(existsSync(CLI!));
  });
});
