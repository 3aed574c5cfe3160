// Shapes shared by the SQL drivers (sqlite CLI, pg, mysql2) and the SQL executor.
import type { SqlStatement } from './split.js';

/** A value as the server printed it (psql-like text); null for SQL NULL. */
export type SqlValue = string | null;

export interface SqlColumn {
  name: string;
  /** Right-aligned in tables. */
  numeric?: boolean;
}

export interface StatementResult {
  /** 0-based statement index in the cell. */
  index: number;
  /** Columns of a row-returning statement; undefined for statements that return no rows (DML, DDL). */
  columns?: SqlColumn[];
  /** The first rows (at most the row cap). */
  rows: SqlValue[][];
  /** All rows the statement returned (rows beyond the cap are counted, not kept). */
  rowCount: number;
  /** Rows changed by INSERT/UPDATE/DELETE. */
  affected?: number;
  /** The server's command tag (SELECT, UPDATE, CREATE, ...). */
  command?: string;
  ms: number;
  /** Server notices and warnings raised by this statement. */
  notices: string[];
  /** Plain-text output instead of a table (sqlite dot-commands, EXPLAIN plans). */
  text?: string;
}

export type FailureKind = 'config' | 'connect' | 'statement' | 'cancelled';

export interface SqlFailure {
  kind: FailureKind;
  /** 0-based index of the statement that failed. */
  statement?: number;
  /** The server's (or client's) message. */
  message: string;
  /** SQLSTATE, MySQL error name or sqlite error kind. */
  code?: string;
  /** 0-based offset of the error in the statement text as sent. */
  position?: number;
  /** 1-based line of the error in the statement text as sent, when only a line is known. */
  line?: number;
  /** Text at the error (MySQL's "near '...'"), used to find the column on `line`. */
  near?: string;
  detail?: string;
  hint?: string;
  where?: string;
}

export interface DriverOutcome {
  /** Results of the statements that completed, in order. */
  results: StatementResult[];
  failure?: SqlFailure;
}

/** A statement ready to send: variables substituted, offsets mappable back to the cell. */
export interface PreparedStatement {
  index: number;
  /** The text sent to the server. */
  text: string;
  source: SqlStatement;
  /** Offset in the cell of an offset in `text`. */
  toCell(offset: number): number;
}

export interface DriverRun {
  statements: PreparedStatement[];
  readonly: boolean;
  rowCap: number;
  /** Aborted on cancel and on timeout; the driver stops the server-side work and returns promptly. */
  signal: AbortSignal;
}

export interface SqlDriver {
  execute(run: DriverRun): Promise<DriverOutcome>;
}

/** Collects at most `cap` rows and counts the rest. */
export class RowCollector {
  readonly rows: SqlValue[][] = [];
  count = 0;
  constructor(private readonly cap: number) {}
  add(row: SqlValue[]): void {
    if (this.count++ < this.cap) this.rows.push(row);
  }
  /** True when the next row would only be counted (callers may skip building it). */
  get full(): boolean {
    return this.count >= this.cap;
  }
}

export function elapsed(t0: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - t0) / 1e5) / 10;
}
