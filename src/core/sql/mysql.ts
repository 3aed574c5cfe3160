// MySQL / MariaDB with `mysql2`: one connection per cell run, statements one by one, values as the server
// sent them (text protocol, no conversion; binary strings shown as hex), rows streamed so only the row
// cap stays in memory. Cancel: KILL QUERY from a second connection, then the socket is destroyed.
import { mysql2 } from '../util/lazy.js';
import type { Connection, ConnectionOptions, FieldPacket, QueryError, ResultSetHeader } from 'mysql2';
import { networkError } from './networkError.js';
import type { ServerAddress } from './connection.js';
import { firstKeyword } from './split.js';
import { elapsed, RowCollector, type DriverOutcome, type DriverRun, type SqlDriver, type SqlFailure, type SqlValue, type StatementResult } from './types.js';

export interface MysqlDriverOptions {
  name: string;
  address: ServerAddress;
  serverLabel: string;
  serverHost: string;
  password?: string;
  passwordHint: string;
  connectTimeoutMs: number;
}

// mysql column types (include/mysql_com.h).
const NUMERIC_TYPES = new Set([0, 1, 2, 3, 4, 5, 8, 9, 13, 246]);
const BINARY_CAPABLE = new Set([15, 16, 249, 250, 251, 252, 253, 254, 255]); // varchar, bit, blobs, strings, geometry
const BINARY_CHARSET = 63;
const CANCEL_GRACE_MS = 1500;

export class MysqlDriver implements SqlDriver {
  constructor(private readonly options: MysqlDriverOptions) {}

  private connectionOptions(): ConnectionOptions {
    const a = this.options.address;
    const ssl = a.params.get('ssl') ?? a.params.get('sslmode');
    return {
      host: a.host,
      port: a.port,
      socketPath: a.socket,
      user: a.user,
      password: this.options.password,
      database: a.database,
      connectTimeout: this.options.connectTimeoutMs,
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      multipleStatements: false,
      ssl: ssl && !/^(false|0|disable|disabled)$/i.test(ssl) ? { rejectUnauthorized: /verify/i.test(ssl), verifyIdentity: /verify.?(full|identity)/i.test(ssl) } : undefined,
    };
  }

  async execute(run: DriverRun): Promise<DriverOutcome> {
    const results: StatementResult[] = [];
    if (run.signal.aborted) return { results, failure: { kind: 'cancelled', message: 'cancelled before it started' } };
    const conn = mysql2().createConnection(this.connectionOptions());
    conn.on('error', () => {}); // reported by the running command
    const stop = new Stopper(conn, () => this.connectionOptions());
    const onAbort = (): void => void stop.cancel();
    run.signal.addEventListener('abort', onAbort, { once: true });
    try {
      try {
        await stop.race(new Promise<void>((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve()))));
      } catch (err) {
        if (run.signal.aborted) return { results, failure: { kind: 'cancelled', message: 'cancelled while connecting' } };
        return { results, failure: { kind: 'connect', ...this.connectError(err as QueryError) } };
      }
      if (run.readonly) {
        await simple(conn, 'SET SESSION TRANSACTION READ ONLY');
        await simple(conn, 'START TRANSACTION READ ONLY');
      }
      for (const st of run.statements) {
        const rows = new RowCollector(run.rowCap);
        const t0 = process.hrtime.bigint();
        let out: { fields?: FieldPacket[]; header?: ResultSetHeader };
        try {
          out = await stop.race(streamQuery(conn, st.text, rows));
        } catch (err) {
          if (run.signal.aborted) return { results, failure: { kind: 'cancelled', statement: st.index, message: 'cancelled: the server was asked to stop the query (KILL QUERY)' } };
          return { results, failure: { kind: 'statement', statement: st.index, ...statementError(err as QueryError) } };
        }
        const ms = elapsed(t0);
        const result: StatementResult = { index: st.index, rows: rows.rows, rowCount: rows.count, command: firstKeyword(st.source), ms, notices: [] };
        if (out.fields?.length) {
          result.columns = out.fields.map((f) => ({ name: f.name, numeric: NUMERIC_TYPES.has(f.columnType ?? -1) }));
        } else if (out.header) {
          result.affected = out.header.affectedRows;
        }
        if (out.header?.warningStatus) result.notices = await warnings(conn);
        // Stopped while it ran but ended without an error (MySQL's SLEEP returns 1 when killed): still cancelled.
        if (run.signal.aborted) return { results, failure: { kind: 'cancelled', statement: st.index, message: 'cancelled while the statement ran' } };
        results.push(result);
      }
      if (run.readonly) await simple(conn, 'ROLLBACK').catch(() => {});
      return { results };
    } finally {
      run.signal.removeEventListener('abort', onAbort);
      stop.close();
    }
  }

  private connectError(err: QueryError): Omit<SqlFailure, 'kind'> {
    const where = `MySQL at ${this.options.serverLabel} (connection "${this.options.name}")`;
    const code = err.code;
    const network = networkError(code, where, this.options.connectTimeoutMs);
    if (network) return network;
    if (code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR') {
      return { code, message: `login refused by ${where}: ${err.message} (${this.options.passwordHint})` };
    }
    return { code, message: `cannot connect to ${where}: ${err.message}` };
  }
}

function statementError(err: QueryError): Omit<SqlFailure, 'kind'> {
  const message = (err as QueryError & { sqlMessage?: string }).sqlMessage ?? err.message;
  const f: Omit<SqlFailure, 'kind'> = { message, code: err.code };
  const near = /near '([\s\S]*)' at line (\d+)$/.exec(message);
  if (near) {
    f.near = near[1];
    f.line = Number(near[2]);
  }
  if (err.fatal && !err.sqlState) f.message = `the connection was lost: ${message}`;
  return f;
}

/** Runs one statement, keeping at most the row cap of its rows (as text). */
function streamQuery(conn: Connection, sql: string, rows: RowCollector): Promise<{ fields?: FieldPacket[]; header?: ResultSetHeader }> {
  return new Promise((resolve, reject) => {
    let fields: FieldPacket[] | undefined;
    let binary: boolean[] = [];
    let header: ResultSetHeader | undefined;
    const q = conn.query({ sql, rowsAsArray: true, typeCast: false });
    q.on('fields', (f: FieldPacket[] | undefined) => {
      if (!f) return; // statements without a result set
      fields = f;
      binary = f.map((x) => x.characterSet === BINARY_CHARSET && BINARY_CAPABLE.has(x.columnType ?? -1));
    });
    q.on('result', (row: (Buffer | null)[] | ResultSetHeader) => {
      if (!Array.isArray(row)) {
        header = row;
        return;
      }
      if (rows.full) {
        rows.count++;
        return;
      }
      rows.add(row.map((v, i): SqlValue => (v === null ? null : binary[i] ? `0x${v.toString('hex')}` : v.toString('utf8'))));
    });
    q.on('error', reject);
    q.on('end', () => resolve({ fields, header }));
  });
}

function simple(conn: Connection, sql: string): Promise<unknown> {
  return new Promise((resolve, reject) => conn.query(sql, (err, res) => (err ? reject(err) : resolve(res))));
}

async function warnings(conn: Connection): Promise<string[]> {
  try {
    const rows = (await simple(conn, 'SHOW WARNINGS')) as { Level: string; Code: number; Message: string }[];
    return rows.map((w) => `${w.Level} ${w.Code}: ${w.Message}`);
  } catch {
    return [];
  }
}

/** Cancels the running statement (KILL QUERY from a second connection) and makes pending promises settle. */
class Stopper {
  private rejectors = new Set<(e: Error) => void>();
  private cancelling = false;
  private dropTimer: NodeJS.Timeout | undefined;

  constructor(private readonly conn: Connection, private readonly options: () => ConnectionOptions) {}

  race<T>(p: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.rejectors.add(reject);
      p.then(resolve, reject).finally(() => this.rejectors.delete(reject));
    });
  }

  async cancel(): Promise<void> {
    if (this.cancelling) return;
    this.cancelling = true;
    this.dropTimer = setTimeout(() => this.drop(), CANCEL_GRACE_MS);
    const id = this.conn.threadId;
    if (!id) return this.drop();
    const helper = mysql2().createConnection({ ...this.options(), connectTimeout: 1000 });
    helper.on('error', () => {});
    try {
      await simple(helper, `KILL QUERY ${Number(id)}`);
    } catch {
      this.drop();
    } finally {
      helper.destroy();
    }
  }

  private drop(): void {
    this.conn.destroy();
    for (const r of this.rejectors) r(new Error('cancelled'));
    this.rejectors.clear();
  }

  close(): void {
    clearTimeout(this.dropTimer);
    try {
      this.conn.end(() => {});
    } catch {
      this.conn.destroy();
    }
  }
}
