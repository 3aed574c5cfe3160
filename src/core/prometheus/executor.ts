// The promql cell executor: picks the `driver: prometheus` connection (`db=NAME`), substitutes variables
// (`{{NAME}}`, `${NAME}`, `$NAME`), asks Prometheus (an instant query, or a range query with `range=` and
// `step=`) through an SSH tunnel when the connection names a `host:`, and renders the series as a table.
// A range query also writes an SVG chart beside the record (folder named after it) and links it, so the
// record shows the metrics that were looked at. The query, its time and a digest of the data go into the
// output's metadata (and so into the log row's digest).
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { CellOutput } from '../format/model.js';
import { openForward, type Connect, type Forward } from '../http/tunnel.js';
import { createRedactor, type Redactor, type Secret, redactOutput } from '../redact/index.js';
import { CellStops } from '../contract/cellStops.js';
import { runSecrets } from '../contract/secrets.js';
import type { ExecutionRequest, ExecutionResult, Executor } from '../contract/types.js';
import { formatDuration } from '../util/duration.js';
import { lineChart } from './chart.js';
import { choosePrometheus, portOf, type PrometheusConfig } from './connection.js';
import { answerTable } from './format.js';
import { PrometheusError, sendQuery, type PromQuery, type QueryAnswer } from './query.js';
import { planQuery, substituteQuery } from './plan.js';

export interface PrometheusExecutorOptions {
  /** Front matter `connections:` (only `driver: prometheus` entries are used). */
  connections: Record<string, PrometheusConfig>;
  /** Names of the secret variables (their values are redacted; the token variable always is). */
  secrets?: string[];
  /** Opens an SSH port forward (connections with `host:`). Without it such connections fail clearly. */
  connect?: Connect;
  /** The record's file: charts go into a folder beside it named after it. None: no chart file. */
  recordPath?: () => string | undefined;
  /** Fixed clock for tests (ms since the epoch). */
  now?: () => number;
}

const isLocalHost = (h: string | undefined): boolean => !h || h === 'local' || h === 'localhost';

/** Where a cell's chart goes: `<dir>/<record name without .md>/<cell>.svg`, and its link from the record. */
export function chartLocation(recordPath: string, cellName: string): { file: string; link: string } {
  const folder = basename(recordPath).replace(/\.md$/i, '') || 'charts';
  const name = `${cellName.replace(/[^A-Za-z0-9._-]+/g, '-')}.svg`;
  const encode = (s: string): string => encodeURI(s).replace(/[()]/g, (c) => (c === '(' ? '%28' : '%29'));
  return { file: join(dirname(recordPath), folder, name), link: `${encode(folder)}/${encode(name)}` };
}

export class PrometheusExecutor implements Executor {
  private readonly stops = new CellStops();

  constructor(private readonly options: PrometheusExecutorOptions) {}

  dispose(): void {
    this.stops.dispose();
  }

  async run(request: ExecutionRequest): Promise<ExecutionResult> {
    const startedAt = new Date().toISOString();
    const t0 = Date.now();
    const stop = this.stops.start(request);
    let redact: Redactor = createRedactor([]);
    let command = request.source;
    const finish = (outputs: CellOutput[], exitCode: number | null, message?: string): ExecutionResult => ({
      exitCode,
      outputs: outputs.map((o) => redactOutput(o, redact)),
      startedAt,
      durationMs: Date.now() - t0,
      cancelled: stop.reason === 'cancel',
      timedOut: stop.reason === 'timeout',
      message: message === undefined ? undefined : redact(message),
      command: redact(command),
    });
    const fail = (message: string, db?: string): ExecutionResult =>
      finish([{ meta: { kind: 'promql-error', stream: 'stderr', ...(db ? { db } : {}) }, text: `ERROR: ${message}`, lang: 'text' }], 1, message);

    let forward: Forward | undefined;
    let db: string | undefined;
    try {
      let query: PromQuery;
      let base: URL;
      let token: string | undefined;
      try {
        const chosen = choosePrometheus(request, this.options.connections);
        db = chosen.name;
        const tokenVar = chosen.config.tokenVariable;
        token = tokenVar ? request.variables[tokenVar] || undefined : undefined;
        redact = createRedactor(this.secrets(request, tokenVar));
        if (tokenVar && !token) return fail(`connection "${db}" takes its bearer token from variable ${tokenVar}, which has no value`, db);
        const text = substituteQuery(request.source, request.variables);
        query = planQuery(text, request.attributes, this.options.now?.() ?? Date.now());
        command = describeQuery(query);
        base = chosen.base;
        const via = isLocalHost(chosen.config.host) ? undefined : chosen.config.host!;
        if (via) {
          forward = await openForward(this.options.connect, base.hostname.replace(/^\[|\]$/g, ''), portOf(base), via, `connection "${db}"`);
          base = new URL(base.href);
          base.hostname = forward.host;
          base.port = String(forward.port);
        }
      } catch (err) {
        return fail((err as Error).message, db);
      }
      let answer: QueryAnswer;
      const t1 = Date.now();
      try {
        answer = await sendQuery(query, { base, token, signal: stop.signal });
      } catch (err) {
        if (stop.reason === 'timeout') return finish([], null, `timed out after ${formatDuration(stop.timeoutMs ?? Date.now() - t0)} waiting for Prometheus "${db}"`);
        if (stop.reason) return finish([], null, 'cancelled while waiting for Prometheus');
        if (err instanceof PrometheusError) return fail(`Prometheus "${db}" refused the query (${err.errorType}): ${err.message}`, db);
        return fail(`cannot reach Prometheus "${db}" at ${chosenUrl(this.options.connections, db)}: ${networkReason(err)}`, db);
      }
      const ms = Date.now() - t1;
      return finish(this.outputs(request, db!, query, answer, ms), 0);
    } finally {
      this.stops.release(stop);
      forward?.close();
    }
  }

  private outputs(request: ExecutionRequest, db: string, q: PromQuery, answer: QueryAnswer, ms: number): CellOutput[] {
    const digest = `sha256:${createHash('sha256').update(JSON.stringify({ q, series: answer.series, text: answer.text })).digest('hex')}`;
    const meta: CellOutput['meta'] = { kind: 'promql', db, series: answer.series.length, data: digest };
    if (q.kind === 'instant') meta.time = iso(q.time);
    else Object.assign(meta, { start: iso(q.start), end: iso(q.end), step: q.step });
    if (q.query !== request.source.trim()) meta.query = q.query;
    const when = q.kind === 'instant' ? `at ${iso(q.time)}` : `${iso(q.start)} → ${iso(q.end)}, step ${q.step}s`;
    const parts = [`${answer.series.length} series`, when, `${ms} ms`];
    let text: string;
    if (answer.resultType === 'string') text = `${parts.slice(1).join(' · ')}\n\n\`${answer.text ?? ''}\``;
    else {
      const { table, shown } = answerTable(answer, q.kind);
      text = `${parts.join(' · ')}\n\n${answer.series.length ? table : '_no series matched_'}`;
      if (shown < answer.series.length) text += `\n\n… ${answer.series.length - shown} more series not shown`;
    }
    for (const w of answer.warnings) text += `\n\n> warning: ${w}`;
    const output: CellOutput = { meta, text, lang: 'markdown' };
    const record = this.options.recordPath?.();
    if (q.kind === 'range' && record) {
      const { file, link } = chartLocation(record, request.cellName);
      const svg = lineChart({ title: q.query, series: answer.series, start: q.start, end: q.end, step: q.step });
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, svg);
      meta.chart = link;
      // The image line goes after the output's code block (GitHub shows it); the notebook shows the SVG.
      output.image = { alt: `${request.cellName}: ${q.query}`, src: link };
      output.svg = svg;
    }
    return [output];
  }

  private secrets(request: ExecutionRequest, tokenVar: string | undefined): Secret[] {
    return runSecrets(request.frontMatter, request.variables, { names: [...this.options.secrets ?? [], ...(tokenVar ? [tokenVar] : [])], drivers: [] });
  }
}

const iso = (seconds: number): string => new Date(Math.round(seconds * 1000)).toISOString().replace('.000Z', 'Z');

function describeQuery(q: PromQuery): string {
  return q.kind === 'instant' ? `${q.query} @ ${iso(q.time)}` : `${q.query} @ ${iso(q.start)}..${iso(q.end)} step ${q.step}s`;
}

function chosenUrl(connections: Record<string, PrometheusConfig>, db: string | undefined): string {
  return (db && connections[db]?.url) || '(no url)';
}

function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.message) return cause.message;
  return (err as Error).message;
}
