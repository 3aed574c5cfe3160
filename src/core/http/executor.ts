// The http cell executor: REST Client requests run in order (`###` between them), each its own output
// (status, headers, pretty JSON body, time). `{{variables}}` come from the session, `@file = variables`,
// earlier `# @name`d responses and system variables. When the cell's target is an SSH host, requests go
// through a tunnel so `http://localhost:5000/health` reaches that host's localhost. Credentials in headers
// and secret variable values are redacted before anything leaves the executor.
import type { CellOutput } from '../format/model.js';
import { createRedactor, type Redactor, type Secret, redactOutput } from '../redact/index.js';
import { CellStops } from '../contract/cellStops.js';
import { runSecrets } from '../contract/secrets.js';
import type { ExecutionRequest, ExecutionResult, Executor } from '../contract/types.js';
import { formatDuration } from '../util/duration.js';
import { describeRequestError } from './errors.js';
import { headerSecrets, responseText } from './format.js';
import { checkAssertions } from './assertions.js';
import { parseHttpCell } from './parse.js';
import { prepareRequest, type BodyFiles } from './prepare.js';
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
  /** Where `< ./file` bodies are read from (the runbook's folder) and the folder they must stay in. */
  bodyFiles?: BodyFiles;
}

type Stop = 'cancel' | 'timeout' | 'request-timeout';

export class HttpExecutor implements Executor {
  private readonly stops = new CellStops();
  /** `# @name`d responses and `@name = value` lines of this session: later cells use them too. */
  private readonly responses = new Map<string, NamedResponse>();
  private readonly fileTemplates: Record<string, string> = Object.create(null) as Record<string, string>;

  constructor(private readonly options: HttpExecutorOptions = {}) {}

  dispose(): void {
    this.stops.dispose();
  }

  async run(request: ExecutionRequest): Promise<ExecutionResult> {
    const startedAt = new Date().toISOString();
    const t0 = Date.now();
    const cellStop = this.stops.start(request);
    const cell = cellStop.signal;
    const cellTimeout = cellStop.timeoutMs;
    /** 'request-timeout' is this executor's own: one request got no complete answer in time. */
    let requestTimedOut = false;
    const stopOf = (): Stop | undefined => cellStop.reason ?? (requestTimedOut ? 'request-timeout' : undefined);

    const secrets: Secret[] = runSecrets(request.frontMatter, request.variables, { names: this.options.secrets ?? [], drivers: [] });
    let redact: Redactor = createRedactor(secrets);
    const outputs: CellOutput[] = [];
    const problems: string[] = [];
    const finish = (exitCode: number | null): ExecutionResult => ({
      exitCode,
      outputs: outputs.map((o) => redactOutput(o, redact)),
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
      // File variables are evaluated when used (REST Client): `@token = {{login.response.headers.X}}`.
      for (const [name, value] of parsed.fileVariables) this.fileTemplates[name] = value;
      const ctx: TemplateContext = { variables: request.variables, fileTemplates: this.fileTemplates, responses: this.responses, env: this.options.env };
      const via = request.target.kind === 'ssh' ? request.target.name : undefined;
      let failed = false;
      for (const spec of parsed.requests) {
        if (cell.aborted) break;
        let out: OutgoingRequest;
        try {
          out = prepareRequest(spec, ctx, this.options.bodyFiles);
        } catch (err) {
          fail(`${spec.method} (line ${spec.line}): ${(err as Error).message}`, { request: spec.index + 1 });
          failed = true;
          break;
        }
        // Credentials written in headers are secrets too: redacted wherever the response echoes them.
        const extra = out.headers.flatMap(([k, v]) => headerSecrets(k, v).map((value) => ({ name: k.toUpperCase(), value })));
        for (const [k, v] of spec.headers) {
          // The credentials as written too (`Basic user:passwd` before it was encoded).
          if (k.toLowerCase() === 'authorization' && extra.length) {
            const plain = /^\S+\s+(.+)$/.exec(safeSubstitute(v, ctx))?.[1];
            if (plain && plain.length >= 4) extra.push({ name: 'AUTHORIZATION', value: plain }, ...plain.split(/[\s:]+/).filter((w) => w.length >= 4).slice(1).map((value) => ({ name: 'AUTHORIZATION', value })));
          }
        }
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
          if (spec.assertions.length) {
            const results = checkAssertions(spec.assertions, res, ms, ctx);
            const bad = results.filter((a) => !a.ok);
            outputs.push({ meta: { kind: 'http-assert', request: label, passed: results.length - bad.length, failed: bad.length }, text: results.map((a) => a.line).join('\n'), lang: 'text' });
            if (bad.length) {
              problems.push(`${bad.length} assertion${bad.length === 1 ? '' : 's'} failed for ${label}: ${bad[0]!.line.slice(2)}`);
              failed = true;
              break;
            }
          }
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
      const skipped = parsed.requests.length - outputs.filter((o) => o.meta.kind === 'http' || (o.meta.kind === 'http-error' && o.meta.request !== undefined)).length;
      if (failed && skipped > 0) outputs.push({ meta: { kind: 'http-note' }, text: `${skipped} later request${skipped === 1 ? ' was' : 's were'} not sent.`, lang: 'text' });
      if (stopOf() === 'cancel') return finish(null);
      return finish(failed || problems.length ? 1 : 0);
    } finally {
      this.stops.release(cellStop);
    }
  }
}

/** A header template substituted, or as written when it cannot be (only for redaction). */
function safeSubstitute(template: string, ctx: TemplateContext): string {
  try {
    return substitute(template, ctx).text;
  } catch {
    return template;
  }
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
