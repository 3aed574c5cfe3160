// A real, throw-away PostgreSQL server for tests and benchmarks: Debian's `initdb` + `postgres` in a temp
// directory, listening on 127.0.0.1 on a free port (unix socket in the same directory), with a
// password-authenticated (scram-sha-256) test role owning a test database. As root the server runs as the
// `postgres` user (initdb refuses root). Stopped by stop() and, at the latest, when this process exits.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from './ports.js';

export interface PostgresServer {
  host: '127.0.0.1';
  port: number;
  user: string;
  password: string;
  database: string;
  /** `postgres://user@127.0.0.1:port/db` (no password: it comes from a variable). */
  url: string;
  /** Superuser over the unix socket (trust): for setup and for inspecting pg_stat_activity. */
  superClient(): Promise<Client>;
  /** Directory holding the unix socket. */
  socketDir: string;
  /** Where psql and friends are. */
  binDir: string;
  stop(): Promise<void>;
}

/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export function postgresSkipReason(): string | undefined {
  if (!postgresBinDir()) return 'PostgreSQL is not installed: bash scripts/install-debian-packages.sh (postgresql)';
  return undefined;
}

export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

export { freePort };

export async function waitUntil(what: string, ok: () => Promise<boolean>, timeoutMs: number, log: () => string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start within ${timeoutMs} ms:\n${log()}`);
}

/**
 * Children still running when this process exits are signalled (exit handlers cannot wait: SIGKILL, or
 * SIGQUIT for postgres, whose immediate shutdown also removes its shared memory) and their directory removed.
 */
const live = new Map<ChildProcess, { cleanup: () => void; signal: NodeJS.Signals }>();
let hooked = false;
export function killAtExit(child: ChildProcess, cleanup: () => void, signal: NodeJS.Signals = 'SIGKILL'): void {
  live.set(child, { cleanup, signal });
  if (hooked) return;
  hooked = true;
  process.once('exit', () => {
    for (const [c, { cleanup, signal }] of live) {
      try {
        c.kill(signal);
      } catch {
        // already gone
      }
      cleanup();
    }
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));
}
export function forget(child: ChildProcess): void {
  live.delete(child);
}

/** Stops a test server: `signal` first, SIGKILL after `killAfterMs`; then cleans up. Resolves once it exited. */
export function stopServer(child: ChildProcess, signal: NodeJS.Signals, killAfterMs: number, cleanup: () => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      forget(child);
      cleanup();
      resolve();
    };
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', done);
    child.kill(signal);
    setTimeout(() => child.kill('SIGKILL'), killAfterMs).unref();
  });
}

function owner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

export async function startPostgres(options: { user?: string; password?: string; database?: string; onLog?: (chunk: string) => void } = {}): Promise<PostgresServer> {
  const binDir = postgresBinDir();
  if (!binDir) throw new Error(postgresSkipReason());
  const user = options.user ?? 'rb_test';
  const password = options.password ?? 'rb-test-pw-7f3a';
  const database = options.database ?? 'rb_test';
  const dir = mkdtempSync(join(tmpdir(), 'rb-postgres-'));
  const data = join(dir, 'data');
  const run = owner();
  if (run) chownSync(dir, run.uid, run.gid);
  chmodSync(dir, 0o700);
  const spawnOpts = { ...(run ? { uid: run.uid, gid: run.gid } : {}), env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' } };
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });

  try {
    execFileSync(join(binDir, 'initdb'), ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-sync'], { ...spawnOpts, stdio: 'pipe' });
  } catch (err) {
    cleanup();
    throw new Error(`initdb failed: ${(err as { stderr?: Buffer }).stderr?.toString() ?? err}`, { cause: err });
  }
  const port = await freePort();
  const child = spawn(join(binDir, 'postgres'), [
    '-D', data, '-k', dir, '-p', String(port),
    '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
    '-c', 'shared_buffers=16MB', '-c', 'max_connections=40', '-c', 'log_min_messages=warning',
  ], { ...spawnOpts, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => {
    options.onLog?.(d.toString()); // the server log, e.g. for log_statement=all
    if (log.length < 20_000) log += d.toString();
  });
  killAtExit(child, cleanup, 'SIGQUIT');

  const superClient = async (): Promise<Client> => {
    const c = new Client({ host: dir, port, user: 'postgres', database: 'postgres' });
    c.on('error', () => {});
    await c.connect();
    return c;
  };
  try {
    await waitUntil('postgres', async () => {
      if (child.exitCode !== null) throw new Error(`postgres exited (${child.exitCode}):\n${log}`);
      try {
        const c = await superClient();
        await c.end();
        return true;
      } catch {
        return false;
      }
    }, 30_000, () => log);
    const c = await superClient();
    const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;
    await c.query(`CREATE ROLE ${user} LOGIN PASSWORD ${lit(password)}`);
    await c.query(`CREATE DATABASE ${database} OWNER ${user}`);
    await c.end();
  } catch (err) {
    child.kill('SIGKILL');
    forget(child);
    cleanup();
    throw err;
  }
  writeFileSync(join(dir, 'README'), 'throw-away PostgreSQL started by test/harness/postgres.ts\n');

  let stopped: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    database,
    url: `postgres://${user}@127.0.0.1:${port}/${database}`,
    superClient,
    socketDir: dir,
    binDir,
    stop() {
      // SIGINT: PostgreSQL's fast shutdown (ends sessions and exits).
      stopped ??= stopServer(child, 'SIGINT', 5000, cleanup);
      return stopped;
    },
  };
}
