// A real, throw-away MariaDB server for tests: Debian's `mariadb-install-db` + `mariadbd` in a temp
// directory (no system config read), on 127.0.0.1 and a free port, with a password-authenticated test user
// owning a test database. Stopped by stop() and, at the latest, when this process exits.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type Connection } from 'mysql2';
import { forget, freePort, killAtExit, stopServer, waitUntil } from './postgres.js';

export interface MariadbServer {
  host: '127.0.0.1';
  port: number;
  user: string;
  password: string;
  database: string;
  /** `mysql://user@127.0.0.1:port/db` (no password). */
  url: string;
  /** root over the unix socket: for setup and for inspecting the processlist. */
  rootConnection(): Promise<Connection>;
  stop(): Promise<void>;
}

const MARIADBD = '/usr/sbin/mariadbd';
const INSTALL_DB = '/usr/bin/mariadb-install-db';

export function mariadbSkipReason(): string | undefined {
  if (!existsSync(MARIADBD) || !existsSync(INSTALL_DB)) return 'MariaDB is not installed: bash scripts/install-debian-packages.sh (mariadb-server)';
  return undefined;
}

export function query(conn: Connection, sql: string): Promise<unknown> {
  return new Promise((resolve, reject) => conn.query(sql, (err, res) => (err ? reject(err) : resolve(res))));
}

export async function startMariadb(options: { user?: string; password?: string; database?: string } = {}): Promise<MariadbServer> {
  const skip = mariadbSkipReason();
  if (skip) throw new Error(skip);
  const user = options.user ?? 'rb_test';
  const password = options.password ?? 'rb-test-pw-9c1e';
  const database = options.database ?? 'rb_test';
  const dir = mkdtempSync(join(tmpdir(), 'rb-mariadb-'));
  const data = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  const root = process.getuid?.() === 0;
  const userArgs = root ? ['--user=root'] : [];
  try {
    execFileSync(INSTALL_DB, ['--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...userArgs], { stdio: 'pipe' });
  } catch (err) {
    cleanup();
    throw new Error(`mariadb-install-db failed: ${(err as { stderr?: Buffer }).stderr?.toString() ?? err}`, { cause: err });
  }
  const port = await freePort();
  const child = spawn(MARIADBD, [
    '--no-defaults', `--datadir=${data}`, `--socket=${socket}`, `--port=${port}`, '--bind-address=127.0.0.1',
    `--pid-file=${join(dir, 'mysqld.pid')}`, `--log-error=${join(dir, 'error.log')}`, '--skip-log-bin', '--skip-name-resolve',
    '--innodb-buffer-pool-size=16M', '--innodb-log-file-size=8M', '--innodb-flush-log-at-trx-commit=0', '--max-connections=40',
    ...userArgs,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (log.length < 20_000) log += d.toString();
  });
  killAtExit(child, cleanup);
  const errorLog = (): string => {
    try {
      return log + execFileSync('tail', ['-n', '30', join(dir, 'error.log')], { encoding: 'utf8' });
    } catch {
      return log;
    }
  };

  const rootConnection = (): Promise<Connection> => new Promise((resolve, reject) => {
    const c = createConnection({ socketPath: socket, user: 'root', password: '' });
    c.on('error', () => {});
    c.connect((err) => (err ? (c.destroy(), reject(err)) : resolve(c)));
  });
  try {
    await waitUntil('mariadbd', async () => {
      if (child.exitCode !== null) throw new Error(`mariadbd exited (${child.exitCode}):\n${errorLog()}`);
      try {
        (await rootConnection()).destroy();
        return true;
      } catch {
        return false;
      }
    }, 60_000, errorLog);
    const c = await rootConnection();
    await query(c, `CREATE DATABASE \`${database}\``);
    await query(c, `CREATE USER '${user}'@'%' IDENTIFIED BY '${password.replace(/'/g, "''")}'`);
    await query(c, `GRANT ALL ON \`${database}\`.* TO '${user}'@'%'`);
    c.destroy();
  } catch (err) {
    child.kill('SIGKILL');
    forget(child);
    cleanup();
    throw err;
  }

  let stopped: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    database,
    url: `mysql://${user}@127.0.0.1:${port}/${database}`,
    rootConnection,
    stop() {
      stopped ??= stopServer(child, 'SIGTERM', 10_000, cleanup);
      return stopped;
    },
  };
}
