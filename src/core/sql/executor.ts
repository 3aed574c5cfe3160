// The SQL cell executor: picks the connection (core/runbook's answer: `db=NAME`, the default, the only one that fits), splits the cell into statements, substitutes
// `{{variables}}`, runs them through the driver (sqlite3 CLI, pg, mysql2) — in a read-only transaction for
// `readonly=true`, through an SSH tunnel when the connection names a `host:` — and turns results and errors
// into redacted outputs. Destructive statements are confirmed by the controller before `run` (sqlDangers).
import type { CellOutput } from '../format/model.js';
import { createRedactor, type Redactor, type Secret, redactOutput } from '../redact/index.js';
import type { StopReason } from '../contract/cellStop.js';
import { CellStops } from '../contract/cellStops.js';
import type { ExecutionRequest, ExecutionResult, Executor } from '../contract/types.js';
import { runSecrets } from '../contract/secrets.js';
import { formatDuration } from '../util/duration.js';
import { openForward, type Connect, type Forward } from '../http/tunnel.js';
import { substitute, TemplateError } from '../http/variables.js';
import { localCommandRunner, type CommandRunner } from './commandRunner.js';
import { cellConnection } from '../runbook/connection.js';
import { findPassword, parseServerUrl, passwordHint, SqlConfigError, type ChosenConnection, type ConnectionConfig } from './connection.js';
import { failureOutput, resultOutputs, type FormatContext } from './format.js';
import { MysqlDriver } from './mysql.js';
import { PostgresDriver } from './postgres.js';
import { lineCol, splitStatements } from './split.js';
import { SqliteDriver } from './sqlite.js';
import type { DriverOutcome, PreparedStatement, SqlDriver, SqlFailure } from './types.js';

export const DEFAULT_ROW_CAP = 500;

export interface SqlExecutorOptions {
  /** Front matter `connections:`. */
  connections: Record<string, ConnectionConfig>;
  /** Rows shown per result (default 500); the rest are counted and a marker says how many. */
  rowCap?: number;
  /** Longest value shown in a table cell (default 200 characters). */
  maxCellChars?: number;
  /** Names of the secret variables (their values are redacted; the password variable always is). */
  secrets?: string[];
  /** Opens an SSH port forward (connections with `host:`). Without it such connections fail clearly. */
  connect?: Connect;
  /** Runs programs on a host ("local" or a host name) for sqlite; default: this machine only. */
  commandRunner?: (host: string) => CommandRunner | undefined;
  /** Environment for PGPASSWORD / MYSQL_PWD (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Default 10 s. */
  connectTimeoutMs?: number;
  /** The sqlite CLI program (default "sqlite3"). */
  sqliteProgram?: string;
}

const isLocalHost = (h: string | undefined): boolean => !h || h === 'local' || h === 'localhost';

export class SqlExecutor implements Executor {
  private readonly stops = new CellStops();

  constructor(private readonly options: SqlExecutorOptions) {}

  dispose(): void {
    this.stops.dispose();
  }

  async run(request: ExecutionRequest): Promise<ExecutionResult> {
    const startedAt = new Date().toISOString();
    const t0 = Date.now();
    const stop = this.stops.start(request);
    const timeoutMs = stop.timeoutMs;

    let redact: Redactor = createRedactor([]);
    const finish = (outputs: CellOutput[], exitCode: number | null, message?: string): ExecutionResult => ({
      exitCode,
      outputs: outputs.map((o) => redactOutput(o, redact)),
      startedAt,
      durationMs: Date.now() - t0,
      cancelled: stop.reason === 'cancel',
      timedOut: stop.reason === 'timeout',
      message: message === undefined ? undefined : redact(message),
      command: request.source,
    });
    const configError = (message: string, db?: string): ExecutionResult =>
      finish([{ meta: { kind: 'sql-error', stream: 'stderr', ...(db ? { db } : {}) }, text: `ERROR: ${message}`, lang: 'text' }], 1, message);

    let forward: Forward | undefined;
    try {
      let chosen: ChosenConnection;
      try {
        chosen = cellConnection(request, this.options.connections, request.defaultConnection);
      } catch (err) {
        return configError((err as Error).message);
      }
      redact = createRedactor(this.secrets(request, chosen.config));
      const dialect = chosen.config.driver;
      const split = splitStatements(request.source, dialect);
      const meta = split.find((st) => st.meta);
      if (meta) {
        // Never sent: the server would read it as SQL (or psql would do something the cell cannot).
        const { line } = lineCol(request.source, meta.start);
        return configError(`line ${line}: ${meta.text.split(/\s/)[0]} is a psql meta-command, not SQL: a cell sends SQL to the server and runs no psql commands (nothing was sent)`, chosen.name);
      }
      let statements: PreparedStatement[];
      try {
        statements = split.map((st, index) => {
          if (st.dot) return { index, text: st.text, source: st, toCell: (o: number) => st.start + o };
          const sub = substitute(st.text, { variables: request.variables, env: this.options.env });
          return { index, text: sub.text, source: st, toCell: (o: number) => st.start + sub.toSource(o) };
        });
      } catch (err) {
        if (err instanceof TemplateError) {
          const at = Math.max(request.source.indexOf(err.expression), request.source.indexOf('{{'));
          const { line } = lineCol(request.source, Math.max(at, 0));
          return configError(`${err.message} (line ${line})`, chosen.name);
        }
        throw err;
      }
      if (!statements.length) {
        return finish([{ meta: { kind: 'sql', db: chosen.name }, text: 'No statements to run.', lang: 'text' }], 0);
      }
      const rowCap = this.options.rowCap ?? DEFAULT_ROW_CAP;
      const readonly = request.attributes.readonly === true || request.attributes.readonly === 'true';
      let driver: SqlDriver;
      try {
        const made = await this.driver(chosen, request);
        driver = made.driver;
        forward = made.forward;
      } catch (err) {
        if (stop.reason) return finish([], null, stop.reason === 'timeout' ? `timed out while connecting` : 'cancelled while connecting');
        return configError((err as Error).message, chosen.name);
      }
      let outcome: DriverOutcome;
      try {
        outcome = await driver.execute({ statements, readonly, rowCap, signal: stop.signal });
      } catch (err) {
        outcome = { results: [], failure: { kind: 'connect', message: (err as Error).message } };
      }
      const ctx: FormatContext = { source: request.source, statements, db: chosen.name, rowCap, maxCellChars: this.options.maxCellChars };
      const outputs = outcome.results.flatMap((r) => resultOutputs(r, ctx));
      let failure = outcome.failure;
      if (stop.reason && (!failure || failure.kind === 'cancelled' || failure.kind === 'statement')) {
        failure = this.stopped(stop.reason, timeoutMs, failure, Date.now() - t0);
      }
      if (!failure) return finish(outputs, 0);
      const located = failureOutput(failure, ctx);
      outputs.push(located.output);
      return finish(outputs, failure.kind === 'cancelled' ? null : 1, located.summary);
    } finally {
      this.stops.release(stop);
      forward?.close();
    }
  }

  private stopped(reason: StopReason, timeoutMs: number | undefined, failure: SqlFailure | undefined, ms: number): SqlFailure {
    const message = reason === 'timeout'
      ? `timed out after ${formatDuration(timeoutMs ?? ms)} (timeout=${formatDuration(timeoutMs ?? ms)}); the running statement was stopped`
      : 'cancelled; the running statement was stopped';
    return { kind: 'cancelled', statement: failure?.statement, message, code: reason === 'timeout' ? 'TIMEOUT' : undefined };
  }

  /** Secret values to redact (contract/secrets.ts): the runbook's, the configured names, the connection's password. */
  private secrets(request: ExecutionRequest, config: ConnectionConfig): Secret[] {
    const names = [...this.options.secrets ?? [], ...(config.passwordVariable ? [config.passwordVariable] : [])];
    return runSecrets(request.frontMatter, request.variables, { names, drivers: [config.driver], env: this.options.env ?? process.env });
  }

  private async driver(chosen: ChosenConnection, request: ExecutionRequest): Promise<{ driver: SqlDriver; forward?: Forward }> {
    const { name, config } = chosen;
    const connectTimeoutMs = this.options.connectTimeoutMs ?? 10_000;
    if (config.driver === 'sqlite') {
      if (!config.path) throw new SqlConfigError(`connection "${name}" has no path: (the SQLite database file)`);
      const host = config.host ?? (request.target.kind === 'ssh' ? request.target.name : 'local');
      const runner = isLocalHost(host) ? this.options.commandRunner?.('local') ?? localCommandRunner : this.options.commandRunner?.(host);
      if (!runner) {
        throw new SqlConfigError(`running sqlite3 on host "${host}" needs the SSH transport, which is not available here (connection "${name}")`);
      }
      return { driver: new SqliteDriver({ runner, path: config.path, hostLabel: isLocalHost(host) ? 'local' : host, program: this.options.sqliteProgram }) };
    }
    const address = parseServerUrl(name, config.url, config.driver);
    const env = this.options.env ?? process.env;
    const envName = config.driver === 'mysql' ? 'MYSQL_PWD' : 'PGPASSWORD';
    const password = findPassword(config, request.variables, env, envName);
    const via = isLocalHost(config.host) ? undefined : config.host!;
    let forward: Forward | undefined;
    let target = address;
    if (via) {
      if (address.socket) throw new SqlConfigError(`connection "${name}": a unix socket cannot be tunnelled; use host:port in the URL`);
      forward = await openForward(this.options.connect, address.host, address.port, via, `connection "${name}"`);
      target = { ...address, host: forward.host, port: forward.port };
    }
    const common = {
      name,
      address: target,
      serverLabel: `${address.socket ?? `${address.host}:${address.port}`}${via ? ` through ${via}` : ''}`,
      serverHost: address.host,
      password: password.password,
      passwordHint: passwordHint(config, password, envName),
      connectTimeoutMs,
    };
    const driver = config.driver === 'postgres' ? new PostgresDriver(common) : new MysqlDriver(common);
    return { driver, forward };
  }
}
