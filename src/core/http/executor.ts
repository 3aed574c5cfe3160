// The http cell executor: REST Client requests run in order (`###` between them), each its own output
// (status, headers, pretty JSON body, time). `{{variables}}` come from the session, `@file = variables`,
// earlier `# @name`d responses and system variables. When the cell's target is an SSH host, requests go
// through a tunnel so `http://localhost:5000/health` reaches that host's localhost. Credentials in headers
// and secret variable values are redacted before anything leaves the executor.
import type { CellOutput } from '../format/model.js';
import { createRedactor, type Redactor, type Secret } from '../redact/index.js';
import { CellStop } from '../run/cellStop.js';
import type { ExecutionRequest, ExecutionResult, Executor } from '../run/types.js';
import { formatDuration } from '../util/duration.js';
import { describeRequestError } from './errors.js';
import { headerSecrets, responseText } from './format.js';
import { parseHttpCell, type HttpRequestSpec } from './parse.js';
import { sendRequest, type OutgoingRequest, type Route } from './send.js';
import { openForward, type Connect } from './tunnel.js';
import { substitute, TemplateError, type NamedResponse, type TemplateContext } from './variables.js';

export interface HttpExecutorOptions {
  /** Names of the secret variables (their values are redacted from outputs). */
  secrets?: string[];
  /** Opens an SSH port forward; used for every request of a cell whose target is an SSH host. */
  connect?: Connect;
  /** Per request (default 30 s); a cell's `timeout=` bounds the whole cell. */
  requestTimeoutMs?: number;
  /** Body shown in the record (default 64 KiB, head and tail kept). */
  maxBodyBytes?: number;
  /** Body read at most (default 8 MiB). */
  maxReadBytes?: number;
  /** For `{{$processEnv}}` (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

type Stop = 'cancel' | 'timeout' | 'request-timeout';

export class HttpExecutor implements Executor {
  private readonly running = new Set<CellStop>();

  constructor(private readonly options: HttpExecutorOptions = {}) {}

  dispose(): void {
    for (const stop of this.running) stop.stop('cancel');
    this.running.clear();
  }

  async run(request: ExecutionRequest): Promise<ExecutionResult> {
    const startedAt = new Date().toISOString();
    const t0 = Date.now();
    const cellStop = new CellStop(request);
    const cell = cellStop.signal;
    const cellTimeout = cellStop.timeoutMs;
    /** 'request-timeout' is this executor's own: one request got no complete answer in time. */
    let requestTimedOut = false;
    const stopOf = (): Stop | undefined => cellStop.reason ?? (requestTimedOut ? 'request-timeout' : undefined);
    this.running.add(cellStop);

    const secrets: Secret[] = [];
    for (const name of this.options.secrets ?? []) {
      const value = request.variables[name];
      if (value) secrets.push({ name, value });
    }
    let redact: Redactor = createRedactor(secrets);
    const outputs: CellOutput[] = [];
    const problems: string[] = [];
    const finish = (exitCode: number | null): ExecutionResult => ({
      exitCode,
      outputs: outputs.map((o) => ({ ...o, text: redact(o.text), meta: redactMeta(o.meta, redact) })),
      startedAt,
      durationMs: Date.now() - t0,
      cancelled: stopOf() === 'cancel',
      timedOut: stopOf() === 'timeout' || stopOf() === 'request-timeout',
      message: problems.length ? redact(problems[0]!) : undefined,
      command: request.source,
    });
    const fail = (text: string, meta: CellOutput['meta'] = {}): void => {
      outputs.push({ meta: { kind: 'http-error', stream: 'stderr', ...meta }, text, lang: 'text' });
      problems.push(text.split('\n').slice(0, 2).join(': '));
    };

    try {
      const parsed = parseHttpCell(request.source);
      if (parsed.errors.length) {
        fail(parsed.errors.map((e) => `line ${e.line}: ${e.message}`).join('\n'));
        return finish(1);
      }
      if (!parsed.requests.length) {
        outputs.push({ meta: { kind: 'http' }, text: 'No requests to send.', lang: 'text' });
        return finish(0);
      }
      const ctx: TemplateContext = { variables: request.variables, fileVariables: {}, responses: new Map(), env: this.options.env };
      try {
        for (const [name, value] of parsed.fileVariables) ctx.fileVariables![name] = substitute(value, ctx).text;
      } catch (err) {
        fail(`file variable: ${(err as Error).message}`);
        return finish(1);
      }
      const via = request.target.kind === 'ssh' ? request.target.name : undefined;
      let failed = false;
      for (const spec of parsed.requests) {
        if (cell.aborted) break;
        let out: OutgoingRequest;
        try {
          out = prepare(spec, ctx);
        } catch (err) {
          fail(`${spec.method} (line ${spec.line}): ${(err as Error).message}`, { request: spec.index + 1 });
          failed = true;
          break;
        }
        // Credentials written in headers are secrets too: redacted wherever the response echoes them.
        const extra = out.headers.flatMap(([k, v]) => headerSecrets(k, v).map((value) => ({ name: k.toUpperCase(), value })));
        if (extra.length) redact = createRedactor([...secrets, ...extra]);
        const label = `${out.method} ${out.url.href}`;
        const reqCtl = new AbortController();
        const onCell = (): void => reqCtl.abort();
        cell.addEventListener('abort', onCell, { once: true });
        const perRequest = this.options.requestTimeoutMs ?? 30_000;
        const reqTimer = setTimeout(() => {
          if (!cellStop.reason) requestTimedOut = true;
          reqCtl.abort();
        }, perRequest);
        const route: Route | undefined = via
          ? (url) => openForward(this.options.connect, url.hostname.replace(/^\[|\]$/g, ''), Number(url.port || (url.protocol === 'https:' ? 443 : 80)), via, `the request to ${url.origin}`)
          : undefined;
        const r0 = process.hrtime.bigint();
        const meta: CellOutput['meta'] = { kind: 'http', request: label };
        if (spec.name) meta.name = spec.name;
        if (parsed.requests.length > 1) meta.index = spec.index + 1;
        try {
          const res = await sendRequest(out, { signal: reqCtl.signal, maxReadBytes: this.options.maxReadBytes ?? 8 * 1024 * 1024, route });
          const ms = Math.round(Number(process.hrtime.bigint() - r0) / 1e5) / 10;
          const shown = responseText(res, this.options.maxBodyBytes ?? 64 * 1024);
          Object.assign(meta, { status: res.status, durationMs: ms, bytes: res.body.length });
          if (res.redirected) meta.url = res.url;
          outputs.push({ meta, text: shown.text, lang: 'http' });
          if (res.status >= 400) problems.push(`HTTP ${res.status} ${res.statusText} from ${label}`);
          if (spec.name) ctx.responses!.set(spec.name, named(res.status, res.headers, res.body.toString('utf8')));
        } catch (err) {
          const ms = Number(process.hrtime.bigint() - r0) / 1e6;
          let text: string;
          const stop = stopOf();
          if (stop === 'cancel') text = `${label}\ncancelled after ${formatDuration(ms)}`;
          else if (stop === 'timeout') text = `${label}\ntimed out: the cell's timeout of ${formatDuration(cellTimeout!)} was reached after ${formatDuration(ms)}`;
          else if (stop === 'request-timeout') text = `${label}\ntimed out: no complete response within ${formatDuration(perRequest)}`;
          else text = `${label}\n${err instanceof TemplateError ? err.message : tunnelOrRequestError(err, out.url)}`;
          fail(text, { request: label, durationMs: Math.round(ms) });
          failed = true;
          break;
        } finally {
          clearTimeout(reqTimer);
          cell.removeEventListener('abort', onCell);
        }
      }
      const skipped = parsed.requests.length - outputs.filter((o) => o.meta.kind === 'http' || o.meta.kind === 'http-error').length;
      if (failed && skipped > 0) outputs.push({ meta: { kind: 'http-note' }, text: `${skipped} later request${skipped === 1 ? ' was' : 's were'} not sent.`, lang: 'text' });
      if (stopOf() === 'cancel') return finish(null);
      return finish(failed || problems.length ? 1 : 0);
    } finally {
      cellStop.dispose();
      this.running.delete(cellStop);
    }
  }
}

/** Substitutes variables and checks the URL. */
function prepare(spec: HttpRequestSpec, ctx: TemplateContext): OutgoingRequest {
  const urlText = substitute(spec.url, ctx).text.trim();
  const headers = spec.headers.map(([k, v]): [string, string] => [k, substitute(v, ctx).text]);
  const body = spec.body === undefined ? undefined : substitute(spec.body, ctx).text;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(urlText) ? urlText : `http://${urlText}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error(`"${urlText}" is not a valid URL (expected http(s)://host[:port]/path)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`"${urlText}": only http:// and https:// URLs can be requested`);
  if (!url.hostname) throw new Error(`"${urlText}" has no host name`);
  return { method: spec.method, url, headers, body, noRedirect: spec.noRedirect };
}

function tunnelOrRequestError(err: unknown, url: URL): string {
  const e = err as Error;
  if (e?.name === 'TunnelUnavailableError' || e?.name === 'TunnelError') return e.message;
  return describeRequestError(err, url);
}

function named(status: number, headers: [string, string][], body: string): NamedResponse {
  const h: Record<string, string> = {};
  for (const [k, v] of headers) h[k] = h[k] !== undefined ? `${h[k]}, ${v}` : v;
  return { status, headers: h, body };
}

function redactMeta(meta: CellOutput['meta'], redact: Redactor): CellOutput['meta'] {
  const out: CellOutput['meta'] = {};
  for (const [k, v] of Object.entries(meta)) out[k] = typeof v === 'string' ? redact(v) : v;
  return out;
}
