// Sends one request. Node's fetch (undici) normally; node:http(s) when the request must go through a
// tunnel's local port while keeping its Host header and TLS server name (fetch drops a Host header), or
// when a GET/HEAD carries a body (Elasticsearch-style, which fetch refuses). Bodies are read up to a limit.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';

export interface OutgoingRequest {
  method: string;
  url: URL;
  headers: [string, string][];
  body?: string | Buffer;
  noRedirect: boolean;
}

export interface ReceivedResponse {
  status: number;
  statusText: string;
  httpVersion: string;
  /** Lower-case names, one entry per header line (Set-Cookie lines stay separate). */
  headers: [string, string][];
  /** The body bytes read (at most maxReadBytes). */
  body: Buffer;
  /** The body was longer than maxReadBytes: reading stopped. */
  truncated: boolean;
  /** Final URL after redirects. */
  url: string;
  redirected: boolean;
}

/** Where to connect for a URL instead of its own host (a tunnel's local end); undefined: connect directly. */
export type Route = (url: URL) => Promise<{ host: string; port: number; close(): void } | undefined>;

export interface SendOptions {
  signal: AbortSignal;
  maxReadBytes: number;
  route?: Route;
}

const MAX_REDIRECTS = 10;

export async function sendRequest(req: OutgoingRequest, options: SendOptions): Promise<ReceivedResponse> {
  const bodyOnGet = req.body !== undefined && (req.method === 'GET' || req.method === 'HEAD');
  const hostHeader = req.headers.some(([k]) => k.toLowerCase() === 'host');
  if (options.route || bodyOnGet || hostHeader) return viaNode(req, options);
  try {
    return await viaFetch(req, options);
  } catch (err) {
    // fetch refuses the Fetch standard's "bad ports" (6000, 6665-6669, 10080, ...); a service may still live there.
    if ((err as { cause?: Error }).cause?.message === 'bad port') return viaNode(req, options);
    throw err;
  }
}

async function viaFetch(req: OutgoingRequest, options: SendOptions): Promise<ReceivedResponse> {
  const headers = new Headers();
  for (const [k, v] of req.headers) if (k.toLowerCase() !== 'content-length') headers.append(k, v);
  const res = await fetch(req.url, {
    method: req.method,
    headers,
    body: req.body,
    redirect: req.noRedirect ? 'manual' : 'follow',
    signal: options.signal,
  });
  const list: [string, string][] = [];
  res.headers.forEach((v, k) => {
    if (k !== 'set-cookie') list.push([k, v]);
  });
  for (const c of res.headers.getSetCookie()) list.push(['set-cookie', c]);
  const { body, truncated } = await readWeb(res.body, options.maxReadBytes);
  return { status: res.status, statusText: res.statusText, httpVersion: '1.1', headers: list, body, truncated, url: res.url || req.url.href, redirected: res.redirected };
}

async function readWeb(stream: ReadableStream<Uint8Array> | null, max: number): Promise<{ body: Buffer; truncated: boolean }> {
  if (!stream) return { body: Buffer.alloc(0), truncated: false };
  const reader = stream.getReader();
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(Buffer.from(value));
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return { body: Buffer.concat(chunks).subarray(0, max), truncated: true };
    }
  }
  return { body: Buffer.concat(chunks), truncated: false };
}

async function viaNode(first: OutgoingRequest, options: SendOptions): Promise<ReceivedResponse> {
  let req = first;
  for (let hop = 0; ; hop++) {
    const res = await nodeOnce(req, options);
    const location = res.headers.find(([k]) => k === 'location')?.[1];
    if (req.noRedirect || !location || ![301, 302, 303, 307, 308].includes(res.status) || hop >= MAX_REDIRECTS) {
      return { ...res, redirected: hop > 0 };
    }
    const keepBody = res.status === 307 || res.status === 308;
    const next = new URL(location, req.url);
    const sameOrigin = next.origin === req.url.origin;
    req = {
      ...req,
      url: next,
      method: keepBody || req.method === 'HEAD' ? req.method : 'GET',
      body: keepBody ? req.body : undefined,
      // Credentials never follow a redirect to another origin.
      headers: req.headers.filter(([k]) => {
        const l = k.toLowerCase();
        if (l === 'host') return false;
        if (!keepBody && (l === 'content-type' || l === 'content-length')) return false;
        return sameOrigin || !/^(authorization|cookie|proxy-authorization)$/.test(l);
      }),
    };
  }
}

async function nodeOnce(req: OutgoingRequest, options: SendOptions): Promise<ReceivedResponse> {
  const forward = await options.route?.(req.url);
  try {
    const https = req.url.protocol === 'https:';
    const headers: Record<string, string> = {};
    let host = req.url.host;
    for (const [k, v] of req.headers) {
      const l = k.toLowerCase();
      if (l === 'host') host = v;
      else if (l !== 'content-length') headers[k] = headers[k] !== undefined ? `${headers[k]}, ${v}` : v;
    }
    headers.Host = host;
    if (req.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(req.body));
    const servername = req.url.hostname.replace(/^\[|\]$/g, '');
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const r = (https ? httpsRequest : httpRequest)({
        host: forward?.host ?? servername,
        port: forward?.port ?? (req.url.port ? Number(req.url.port) : https ? 443 : 80),
        path: `${req.url.pathname}${req.url.search}`,
        method: req.method,
        headers,
        signal: options.signal,
        agent: false,
        ...(https && !isIP(servername) ? { servername } : {}),
      }, resolve);
      r.on('error', reject);
      r.end(req.body);
    });
    const list: [string, string][] = [];
    for (let i = 0; i < res.rawHeaders.length; i += 2) list.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
    const { body, truncated } = await readNode(res, options.maxReadBytes);
    return {
      status: res.statusCode ?? 0,
      statusText: res.statusMessage ?? '',
      httpVersion: res.httpVersion,
      headers: list,
      body,
      truncated,
      url: req.url.href,
      redirected: false,
    };
  } finally {
    forward?.close();
  }
}

function readNode(res: IncomingMessage, max: number): Promise<{ body: Buffer; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      chunks.push(c);
      size += c.length;
      if (size > max) {
        res.destroy();
        resolve({ body: Buffer.concat(chunks).subarray(0, max), truncated: true });
      }
    });
    res.on('end', () => resolve({ body: Buffer.concat(chunks), truncated: false }));
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('the response was cut off')));
  });
}
