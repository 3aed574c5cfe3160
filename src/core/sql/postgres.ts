// PostgreSQL with `pg`: one connection per cell run, statements one by one (each with its own time and
// rows), values as the server prints them (psql-like: no Date or number conversion), rows streamed so a
// huge result keeps only the row cap in memory. Cancel: pg_cancel_backend from a second connection, then
// the socket is destroyed if the query still does not end.
import type { Client, ClientConfig, QueryConfig, QueryResult } from 'pg';
import { pg } from '../util/lazy.js';
import { networkError } from './networkError.js';
import type { ServerAddress } from './connection.js';
import { elapsed, RowCollector, type DriverOutcome, type DriverRun, type SqlDriver, type SqlFailure, type SqlValue, type StatementResult } from './types.js';

export interface PostgresDriverOptions {
  /** Connection name, for messages. */
  name: string;
  /** Where to connect (a tunnel's local end when tunnelled). */
  address: ServerAddress;
  /** The server as the runbook names it (host:port), for messages and TLS server name. */
  serverLabel: string;
  serverHost: string;
  password?: string;
  /** Explains a refused login: where the password came from, or that there was none. */
  passwordHint: string;
  connectTimeoutMs: number;
}

/** Every value stays the text the server sent. */
const RAW_TYPES = { getTypeParser: () => (value: string) => value } as unknown as ClientConfig['types'];
const NUMERIC_OIDS = new Set([20, 21, 23, 26, 700, 701, 1700]);
/** After asking the server to cancel, how long before the connection is simply dropped. */
const CANCEL_GRACE_MS = 1500;

export class PostgresDriver implements SqlDriver {
  constructor(private readonly options: PostgresDriverOptions) {}

  private clientConfig(): ClientConfig {
    const a = this.options.address;
    const sslmode = a.params.get('sslmode') ?? (a.params.get('ssl') === 'true' ? 'require' : undefined);
    let ssl: ClientConfig['ssl'] = false;
    if (sslmode === 'require') ssl = { rejectUnauthorized: false, servername: this.options.serverHost };
    else if (sslmode === 'verify-ca') ssl = { rejectUnauthorized: true, checkServerIdentity: () => undefined };
    else if (sslmode === 'verify-full') ssl = { rejectUnauthorized: true, servername: this.options.serverHost };
    return {
      host: a.socket ?? a.host,
      port: a.port,
      user: a.user,
      database: a.database,
      password: this.options.password,
      ssl,
      application_name: a.params.get('application_name') ?? 'runbook-notebooks',
      options: a.params.get('options') ?? undefined,
      connectionTimeoutMillis: this.options.connectTimeoutMs,
      types: RAW_TYPES,
      keepAlive: true,
    };
  }

  async execute(run: DriverRun): Promise<DriverOutcome> {
    const results: StatementResult[] = [];
    if (run.signal.aborted) return { results, failure: { kind: 'cancelled', message: 'cancelled before it started' } };
    const client = new (pg().Client)(this.clientConfig());
    let notices: string[] = [];
    client.on('error', () => {}); // a dropped connection is reported by the running query
    client.on('notice', (n) => notices.push(`${n.severity ?? 'NOTICE'}: ${n.message}${n.detail ? `\nDETAIL: ${n.detail}` : ''}`));
    const stop = new Stopper(client, this.clientConfig());
    const onAbort = (): void => void stop.cancel();
    run.signal.addEventListener('abort', onAbort, { once: true });
    try {
      try {
        await stop.race(client.connect());
      } catch (err) {
        if (run.signal.aborted) return { results, failure: { kind: 'cancelled', message: 'cancelled while connecting' } };
        return { results, failure: { kind: 'connect', ...this.connectError(err as PgError) } };
      }
      if (run.readonly) {
        await client.query('SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY');
        await client.query('BEGIN READ ONLY');
      }
      for (const st of run.statements) {
        notices = [];
        const rows = new RowCollector(run.rowCap);
        const t0 = process.hrtime.bigint();
        let res: QueryResult | QueryResult[];
        try {
          res = await stop.race(streamQuery(client, st.text, rows));
        } catch (err) {
          if (run.signal.aborted) return { results, failure: { kind: 'cancelled', statement: st.index, message: 'cancelled: the server was asked to stop the query' } };
          return { results, failure: { kind: 'statement', statement: st.index, ...statementError(err as PgError) } };
        }
        const last = Array.isArray(res) ? res[res.length - 1]! : res;
        const result: StatementResult = { index: st.index, rows: rows.rows, rowCount: rows.count, command: last.command ?? undefined, ms: elapsed(t0), notices };
        if (last.fields?.length) result.columns = last.fields.map((f) => ({ name: f.name, numeric: NUMERIC_OIDS.has(f.dataTypeID) }));
        if (last.command && last.command !== 'SELECT' && typeof last.rowCount === 'number') result.affected = last.rowCount;
        // Stopped while it ran but ended without an error (MySQL's SLEEP returns 1 when killed): still cancelled.
        if (run.signal.aborted) return { results, failure: { kind: 'cancelled', statement: st.index, message: 'cancelled while the statement ran' } };
        results.push(result);
      }
      if (run.readonly) await client.query('ROLLBACK').catch(() => {});
      return { results };
    } finally {
      run.signal.removeEventListener('abort', onAbort);
      stop.close();
    }
  }

  private connectError(err: PgError): Omit<SqlFailure, 'kind'> {
    const where = `PostgreSQL at ${this.options.serverLabel} (connection "${this.options.name}")`;
    const code = err.code;
    const network = networkError(code, where, this.options.connectTimeoutMs, /timeout/i.test(err.message));
    if (network) return network;
    if (code === 'ECONNRESET' || /Connection terminated/i.test(err.message)) return { code, message: `cannot connect to ${where}: the server closed the connection (${err.message})` };
    if (code === '28P01' || code === '28000') return { code, message: `login refused by ${where}: ${err.message} (${this.options.passwordHint})` };
    if (/client password must be a string|password must be a string/i.test(err.message)) {
      return { code: '28P01', message: `login to ${where} needs a password, and ${this.options.passwordHint}` };
    }
    if (code === '3D000') return { code, message: `${where}: ${err.message}` };
    return { code, message: `cannot connect to ${where}: ${err.message}` };
  }
}

interface PgError extends Error {
  code?: string;
  position?: string;
  internalPosition?: string;
  internalQuery?: string;
  detail?: string;
  hint?: string;
  where?: string;
}

function statementError(err: PgError): Omit<SqlFailure, 'kind'> {
  const f: Omit<SqlFailure, 'kind'> = { message: err.message, code: err.code, detail: err.detail, hint: err.hint };
  if (err.position) f.position = Number(err.position) - 1;
  if (err.internalQuery) f.where = `in: ${err.internalQuery}${err.where ? `\n${err.where}` : ''}`;
  else if (err.where) f.where = err.where;
  if (!err.code && /Connection terminated|ECONNRESET/i.test(`${err.message}`)) f.message = `the connection was lost: ${err.message}`;
  return f;
}

/** Runs one statement, keeping at most the row cap of its rows. */
function streamQuery(client: Client, text: string, rows: RowCollector): Promise<QueryResult | QueryResult[]> {
  return new Promise((resolve, reject) => {
    const q = new (pg().Query)({ text, rowMode: 'array' } as unknown as QueryConfig);
    q.on('row', (row: SqlValue[]) => rows.add(row));
    q.on('error', reject);
    q.on('end', (res: QueryResult | QueryResult[]) => resolve(res));
    client.query(q);
  });
}

/** Cancels the running query (server side first) and makes pending promises settle. */
class Stopper {
  private rejectors = new Set<(e: Error) => void>();
  private cancelling = false;
  private closed = false;
  private dropTimer: NodeJS.Timeout | undefined;

  constructor(private readonly client: Client, private readonly config: ClientConfig) {}

  /** `p`, or a rejection once the connection had to be dropped. */
  race<T>(p: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.rejectors.add(reject);
      p.then(resolve, reject).finally(() => this.rejectors.delete(reject));
    });
  }

  async cancel(): Promise<void> {
    if (this.cancelling || this.closed) return;
    this.cancelling = true;
    this.dropTimer = setTimeout(() => this.drop(), CANCEL_GRACE_MS);
    const pid = (this.client as unknown as { processID: number | null }).processID;
    if (pid) {
      const helper = new (pg().Client)({ ...this.config, connectionTimeoutMillis: 1000 });
      helper.on('error', () => {});
      try {
        await helper.connect();
        await helper.query('SELECT pg_cancel_backend($1)', [pid]);
      } catch {
        this.drop(); // could not ask: drop the connection, the server ends the query when it notices
      } finally {
        helper.end().catch(() => {});
      }
    } else this.drop();
  }

  private drop(): void {
    const stream = (this.client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream;
    stream?.destroy();
    for (const r of this.rejectors) r(new Error('cancelled'));
    this.rejectors.clear();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.dropTimer);
    this.client.end().catch(() => {});
  }
}
