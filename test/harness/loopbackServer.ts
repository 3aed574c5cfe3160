// A throw-away server binary on 127.0.0.1 for tests (Prometheus, Alertmanager): a temp directory for its
// config and data, a free port, stderr kept for error messages, a readiness probe polled until it answers,
// and a stop that also runs at process exit. The caller writes its config into `dir` from `files`.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { killAtExit, stopServer, waitUntil } from './postgres.js';

export interface LoopbackServer {
  port: number;
  /** http://127.0.0.1:PORT */
  url: string;
  /** The server's temp directory (config and data), removed on stop. */
  dir: string;
  stop(): Promise<void>;
}

export interface LoopbackServerSpec {
  /** Name in messages (and the temp directory's prefix). */
  name: string;
  bin: string;
  /** What to install when `bin` is missing. */
  install: string;
  /** Writes the config into `dir` and returns the arguments (listen on 127.0.0.1:`port`). */
  setup(dir: string, port: number): string[];
  /** True once the server answers as expected at `url`. */
  ready(url: string): Promise<boolean>;
}

export async function startLoopbackServer(spec: LoopbackServerSpec): Promise<LoopbackServer> {
  if (!existsSync(spec.bin)) throw new Error(`${spec.bin} is missing: bash scripts/install-debian-packages.sh (${spec.install})`);
  const dir = mkdtempSync(join(tmpdir(), `rb-${spec.name}-`));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  const port = await freePort();
  const child = spawn(spec.bin, spec.setup(dir, port), { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (log.length < 20_000) log += d.toString();
  });
  killAtExit(child, cleanup);
  const url = `http://127.0.0.1:${port}`;
  const stop = (): Promise<void> => stopServer(child, 'SIGTERM', 5000, cleanup);
  try {
    await waitUntil(spec.name, async () => {
      if (child.exitCode !== null) throw new Error(`${spec.name} exited with ${child.exitCode}:\n${log}`);
      try {
        return await spec.ready(url);
      } catch {
        return false;
      }
    }, 30_000, () => log);
  } catch (err) {
    await stop();
    throw err;
  }
  return { port, url, dir, stop };
}
