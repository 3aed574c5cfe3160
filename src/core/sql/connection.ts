// Which connection a SQL cell uses, where its server is, and where its password comes from. Passwords come
// from a session variable (`passwordVariable`) or the OS environment, never from the runbook file.
import type { SqlDialect } from './split.js';

/** A front matter `connections:` entry (DESIGN §1). */
export interface ConnectionConfig {
  driver: SqlDialect;
  /** sqlite: database file on the host. */
  path?: string;
  /** postgres/mysql: URL without a password. */
  url?: string;
  /** sqlite: host to run on; postgres/mysql: host to tunnel through. */
  host?: string;
  passwordVariable?: string;
  [key: string]: unknown;
}

export class SqlConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SqlConfigError';
  }
}

export interface ChosenConnection {
  name: string;
  config: ConnectionConfig;
}

export interface ServerAddress {
  host: string;
  port: number;
  user?: string;
  database?: string;
  /** A unix socket directory (postgres `?host=/run/postgresql`) or socket path (mysql `?socket=`). */
  socket?: string;
  params: URLSearchParams;
}

const SCHEMES: Record<'postgres' | 'mysql', { schemes: string[]; port: number }> = {
  postgres: { schemes: ['postgres:', 'postgresql:'], port: 5432 },
  mysql: { schemes: ['mysql:', 'mariadb:'], port: 3306 },
};

/** Parses `postgres://user@host:port/db?...` or `mysql://...`; refuses a password in the URL. */
export function parseServerUrl(name: string, url: string | undefined, driver: 'postgres' | 'mysql'): ServerAddress {
  if (!url) throw new SqlConfigError(`connection "${name}" has no url: (e.g. ${driver}://user@host:${SCHEMES[driver].port}/db)`);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new SqlConfigError(`connection "${name}": "${url}" is not a valid URL (expected ${driver}://user@host:${SCHEMES[driver].port}/db)`);
  }
  if (!SCHEMES[driver].schemes.includes(u.protocol)) {
    throw new SqlConfigError(`connection "${name}": a ${driver} URL starts with ${SCHEMES[driver].schemes.map((s) => `${s}//`).join(' or ')}, not ${u.protocol}//`);
  }
  if (u.password) {
    throw new SqlConfigError(
      `connection "${name}": the URL contains a password. Passwords never go in the runbook: remove it, and name a secret variable in the connection's passwordVariable entry (or set ${driver === 'postgres' ? 'PGPASSWORD' : 'MYSQL_PWD'} in the environment)`,
    );
  }
  let port = SCHEMES[driver].port;
  if (u.port) port = Number(u.port);
  const socket = u.searchParams.get('host')?.startsWith('/') ? u.searchParams.get('host')! : u.searchParams.get('socket') ?? undefined;
  return {
    host: u.hostname.replace(/^\[|\]$/g, '') || 'localhost',
    port,
    user: u.username ? decodeURIComponent(u.username) : undefined,
    database: u.pathname.length > 1 ? decodeURIComponent(u.pathname.slice(1)) : undefined,
    socket,
    params: u.searchParams,
  };
}

export interface PasswordSource {
  password?: string;
  /** For messages: "variable PGPW", "PGPASSWORD", or undefined when none was found. */
  from?: string;
}

/** The password: from the session variable named by the connection, else from the environment. */
export function findPassword(config: ConnectionConfig, variables: Record<string, string>, env: NodeJS.ProcessEnv, envName: string): PasswordSource {
  const v = config.passwordVariable;
  if (v && variables[v] !== undefined && variables[v] !== '') return { password: variables[v], from: `variable ${v}` };
  if (env[envName] !== undefined) return { password: env[envName], from: envName };
  return {};
}

/** How a password-less login failure is explained. */
export function passwordHint(config: ConnectionConfig, source: PasswordSource, envName: string): string {
  if (source.from) return `the password came from ${source.from}`;
  return config.passwordVariable
    ? `no password was given: variable ${config.passwordVariable} has no value and ${envName} is not set`
    : `no password was given: name a secret variable in the connection's passwordVariable entry, or set ${envName}`;
}
