// Prometheus's HTTP API (`/api/v1/query`, `/api/v1/query_range`) with Node's fetch, and its answers as
// plain series. An error answer keeps Prometheus's own message (errorType and error).

export type Labels = Record<string, string>;

/** One series: its labels and its samples (one for an instant vector). Times in seconds. */
export interface Series {
  labels: Labels;
  samples: Array<[number, number]>;
}

export interface QueryAnswer {
  resultType: 'vector' | 'matrix' | 'scalar' | 'string';
  series: Series[];
  /** For resultType string. */
  text?: string;
  warnings: string[];
}

export interface InstantQuery {
  kind: 'instant';
  query: string;
  /** Evaluation time in seconds. */
  time: number;
}

export interface RangeQuery {
  kind: 'range';
  query: string;
  start: number;
  end: number;
  /** Seconds. */
  step: number;
}

export type PromQuery = InstantQuery | RangeQuery;

/** Prometheus answered with an error (bad query, timeout on its side, ...). */
export class PrometheusError extends Error {
  constructor(readonly errorType: string, message: string, readonly status: number) {
    super(message);
    this.name = 'PrometheusError';
  }
}

export interface SendOptions {
  /** Base URL to send to (the connection's, or the tunnel's local end with the same path). */
  base: URL;
  token?: string;
  signal?: AbortSignal;
}

/** The API URL and form body for a query. */
export function requestFor(q: PromQuery, base: URL): { url: string; body: URLSearchParams } {
  const path = `${base.pathname.replace(/\/+$/, '')}/api/v1/${q.kind === 'instant' ? 'query' : 'query_range'}`;
  const url = new URL(base.href);
  url.pathname = path;
  url.search = '';
  url.hash = '';
  const body = new URLSearchParams({ query: q.query });
  if (q.kind === 'instant') body.set('time', String(q.time));
  else {
    body.set('start', String(q.start));
    body.set('end', String(q.end));
    body.set('step', String(q.step));
  }
  return { url: url.href, body };
}

interface ApiBody {
  status?: string;
  errorType?: string;
  error?: string;
  warnings?: string[];
  data?: { resultType?: string; result?: unknown };
}

/** Sends the query (POST form, as Grafana does, so long queries fit) and reads the answer. */
export async function sendQuery(q: PromQuery, o: SendOptions): Promise<QueryAnswer> {
  const { url, body } = requestFor(q, o.base);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  const res = await fetch(url, { method: 'POST', body, headers, signal: o.signal, redirect: 'error' });
  const text = await res.text();
  let parsed: ApiBody | undefined;
  try {
    parsed = JSON.parse(text) as ApiBody;
  } catch {
    parsed = undefined;
  }
  if (!parsed || typeof parsed !== 'object') {
    const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 200);
    throw new PrometheusError('http', `HTTP ${res.status} ${res.statusText}: the answer is not Prometheus JSON${snippet ? `: ${snippet}` : ''}`, res.status);
  }
  if (parsed.status !== 'success') {
    throw new PrometheusError(parsed.errorType ?? 'error', parsed.error ?? `HTTP ${res.status} ${res.statusText}`, res.status);
  }
  return toAnswer(parsed);
}

function num(v: unknown): number {
  return typeof v === 'string' ? Number(v) : typeof v === 'number' ? v : NaN;
}

function sample(p: unknown): [number, number] {
  const [t, v] = Array.isArray(p) ? p : [];
  return [num(t), num(v)];
}

function toAnswer(body: ApiBody): QueryAnswer {
  const type = body.data?.resultType;
  const result = body.data?.result;
  const warnings = body.warnings ?? [];
  if (type === 'scalar') return { resultType: 'scalar', series: [{ labels: {}, samples: [sample(result)] }], warnings };
  if (type === 'string') {
    const [, text] = Array.isArray(result) ? result : [];
    return { resultType: 'string', series: [], text: String(text ?? ''), warnings };
  }
  const items = Array.isArray(result) ? (result as Array<{ metric?: Labels; value?: unknown; values?: unknown[] }>) : [];
  const series = items.map((r) => ({
    labels: r.metric ?? {},
    samples: r.values ? r.values.map(sample) : r.value ? [sample(r.value)] : [],
  }));
  return { resultType: type === 'matrix' ? 'matrix' : 'vector', series, warnings };
}

/** `{a="1", b="2"}` with __name__ in front, as Prometheus prints a series. */
export function seriesName(labels: Labels): string {
  const { __name__: name, ...rest } = labels;
  const inner = Object.keys(rest).sort().map((k) => `${k}="${rest[k]}"`).join(', ');
  return `${name ?? ''}${inner || !name ? `{${inner}}` : ''}`;
}
