// A local HTTP server for tests and benchmarks on a free 127.0.0.1 port:
//   /health            {"status":"ok"}
//   /json              a nested JSON document (big integers included, to check they are not rounded)
//   /slow?ms=N         answers after N ms (default 5000)
//   /fail              503 with a JSON error body
//   /echo              the request (method, url, headers, body) as JSON
//   /cookie            sets a session cookie
//   /text              plain text;  /big?bytes=N  N bytes of text;  /redirect -> /health
// Closed by stop() (open keep-alive connections included) and when this process exits.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface HttpTestServer {
  port: number;
  /** http://127.0.0.1:PORT */
  url: string;
  /** Requests seen, newest last. */
  requests: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
  stop(): Promise<void>;
}

export const JSON_DOC = {
  service: 'cvd',
  status: 'degraded',
  checks: [{ name: 'db', ok: true, latencyMs: 3 }, { name: 'queue', ok: false, error: 'timeout' }],
  build: { version: '1.2.3', commit: 'abc123' },
};
/** Sent verbatim after the JSON_DOC keys: a number JSON.parse would round. */
const BIG = '"bigId":12345678901234567890';

function send(res: ServerResponse, status: number, body: string, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'x-test-server': 'runbook' });
  res.end(body);
}

export async function startHttpServer(): Promise<HttpTestServer> {
  const requests: HttpTestServer['requests'] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const url = new URL(req.url ?? '/', 'http://x');
      switch (url.pathname) {
        case '/health':
          return send(res, 200, '{"status":"ok"}');
        case '/json':
          return send(res, 200, JSON.stringify(JSON_DOC).replace(/}$/, `,${BIG}}`));
        case '/slow': {
          const t = setTimeout(() => send(res, 200, '{"slow":true}'), Number(url.searchParams.get('ms') ?? 5000));
          res.on('close', () => clearTimeout(t));
          return;
        }
        case '/fail':
          return send(res, 503, '{"error":"database unavailable"}');
        case '/echo':
          return send(res, 200, JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
        case '/cookie':
          res.setHeader('set-cookie', ['session=s3cr3t-session-value; HttpOnly', 'theme=dark']);
          return send(res, 200, '{"ok":true}');
        case '/text':
          return send(res, 200, 'all good\nsecond line\n', 'text/plain; charset=utf-8');
        case '/big':
          return send(res, 200, 'x'.repeat(Number(url.searchParams.get('bytes') ?? 1_000_000)), 'text/plain');
        case '/redirect':
          res.writeHead(302, { location: '/health' });
          return res.end();
        default:
          return send(res, 404, '{"error":"not found"}');
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const onExit = (): void => void server.close();
  process.once('exit', onExit);
  let stopped: Promise<void> | undefined;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        process.removeListener('exit', onExit);
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      return stopped;
    },
  };
}
