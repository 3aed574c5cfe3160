// Which front-matter connection a cell uses: the one answer the runner (where a SQL cell runs), the
// confirmation policy (which SQL dialect to read), the SQL and PromQL executors, dry run and the status bars
// share. `db=NAME` wins; else the runner's default connection; else the only connection that fits the cell
// (its runner's drivers, narrowed by a dialect fence such as `postgresql`).
import type { FrontMatter } from '../format/frontMatter.js';
import { runnerOf } from '../format/languages.js';
import type { Attributes } from '../format/model.js';

export type ConnectionEntry = NonNullable<FrontMatter['connections']>[string];
export type Driver = ConnectionEntry['driver'];
export type SqlDialect = Exclude<Driver, 'prometheus'>;

/** What the choice reads of a cell: `db=`, the VS Code language id and the fence's language token. */
export interface ConnectionCell {
  attributes: Attributes;
  /** VS Code language id (`sql`, `promql`) or the fence token. */
  language: string;
  /** The fence's language as written (`postgresql`, `mysql`, `sqlite`): it narrows the drivers that fit. */
  fenceLanguage?: string;
}

export interface ChosenConnection<C = ConnectionEntry> {
  name: string;
  config: C;
}

export class ConnectionChoiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionChoiceError';
  }
}

const SQL_DRIVERS: readonly Driver[] = ['sqlite', 'postgres', 'mysql'];

/** The dialect a fence names (`postgresql` → postgres); undefined for plain `sql` and other languages. */
export function dialectOfFence(lang: string | undefined): SqlDialect | undefined {
  const l = (lang ?? '').toLowerCase();
  if (l === 'postgresql' || l === 'postgres') return 'postgres';
  if (l === 'mysql' || l === 'mariadb') return 'mysql';
  if (l === 'sqlite') return 'sqlite';
  return undefined;
}

/** The drivers a cell can use: SQL cells the SQL drivers (one, for a dialect fence), PromQL cells Prometheus. */
export function driversFor(cell: Pick<ConnectionCell, 'language' | 'fenceLanguage'>): readonly Driver[] {
  const runner = runnerOf(cell.language);
  if (runner === 'prometheus') return ['prometheus'];
  const dialect = dialectOfFence(cell.fenceLanguage) ?? dialectOfFence(cell.language);
  if (dialect) return [dialect];
  return runner === 'sql' ? SQL_DRIVERS : [];
}

/**
 * The connection a cell uses, or a ConnectionChoiceError that says why none can be chosen. `connections` are
 * the front matter's (configs of any richer type are passed through).
 */
export function cellConnection<C extends { driver: string }>(cell: ConnectionCell, connections: Record<string, C> | undefined,
  defaultConnection?: string): ChosenConnection<C> {
  const all = connections ?? {};
  const drivers = driversFor(cell);
  const prometheus = drivers.includes('prometheus');
  const kinds = Object.keys(all).filter((n) => drivers.includes(all[n]!.driver as Driver));
  const listed = prometheus
    ? kinds.length ? `prometheus connections in this runbook: ${kinds.join(', ')}` : 'this runbook has no connection with driver: prometheus in its front matter'
    : Object.keys(all).length ? `connections in this runbook: ${Object.keys(all).join(', ')}` : 'this runbook has no connections: in its front matter';
  const db = cell.attributes.db;
  const named = db !== undefined && db !== null && db !== '' ? String(db) : undefined;
  const wanted = named ?? defaultConnection;
  if (wanted !== undefined) {
    const config = Object.hasOwn(all, wanted) ? all[wanted] : undefined;
    const what = named !== undefined ? `db=${wanted}` : `the default connection "${wanted}"`;
    if (!config) throw new ConnectionChoiceError(named !== undefined ? `${what}: no such connection (${listed})` : `${what} does not exist (${listed})`);
    if (prometheus !== (config.driver === 'prometheus')) {
      throw new ConnectionChoiceError(`${what} is a ${config.driver} connection, not ${prometheus ? 'prometheus' : 'a SQL database'} (${listed})`);
    }
    return { name: wanted, config };
  }
  if (kinds.length === 1) return { name: kinds[0]!, config: all[kinds[0]!]! };
  throw new ConnectionChoiceError(prometheus
    ? `this cell does not say which Prometheus to ask: add db=NAME to its fence (${listed})`
    : `this cell does not say which database to use: add db=NAME to its fence (${listed})`);
}

/** The connection when one can be chosen, else undefined (for where a cell runs and what it would show). */
export function cellConnectionOrNone(cell: ConnectionCell, fm: FrontMatter | undefined, defaultConnection?: string):
  ChosenConnection | undefined {
  try {
    return cellConnection(cell, fm?.connections, defaultConnection);
  } catch {
    return undefined;
  }
}

/**
 * The SQL dialect a cell's statements are read in (for the confirmation policy): its connection's driver;
 * when none can be chosen, the only connection that fits, else the fence's dialect, else PostgreSQL.
 */
export function cellDialect(cell: ConnectionCell, fm: FrontMatter | undefined, defaultConnection?: string): SqlDialect {
  const chosen = cellConnectionOrNone(cell, fm, defaultConnection)?.config.driver;
  const drivers = driversFor({ language: 'sql', ...(cell.fenceLanguage !== undefined ? { fenceLanguage: cell.fenceLanguage } : {}) });
  const fitting = Object.values(fm?.connections ?? {}).filter((c) => drivers.includes(c.driver));
  const driver = chosen ?? (fitting.length === 1 ? fitting[0]!.driver : undefined);
  if (driver && driver !== 'prometheus') return driver;
  return dialectOfFence(cell.fenceLanguage) ?? 'postgres';
}
