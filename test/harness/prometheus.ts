// A real, throw-away Prometheus for tests: Debian's /usr/bin/prometheus on 127.0.0.1 with a temp storage
// directory and a config that scrapes itself every second. start() returns once a sample of `up` exists.
// Stopped by stop() and, at the latest, when this process exits.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { killAtExit, stopServer, waitUntil } from './postgres.js';

export const PROMETHEUS_BIN = '/usr/bin/prometheus';

export interface PrometheusServer {
  port: number;
  /** http://127.0.0.1:PORT */
  url: string;
  stop(): Promise<void>;
}

/** Why Prometheus tests cannot run here, or undefined when they can (pass it to requirement()). */
export function prometheusSkipReason(): string | undefined {
  return existsSync(PROMETHEUS_BIN) ? undefined : 'Prometheus is not installed: bash scripts/install-debian-packages.sh (prometheus)';
}

/** `rules`: an alerting/recording rules file's YAML, loaded with `rule_files:`. */
export async function startPrometheus(o: { rules?: string } = {}): Promise<PrometheusServer> {
  if (!existsSync(PROMETHEUS_BIN)) throw new Error(`${PROMETHEUS_BIN} is missing: bash scripts/install-debian-packages.sh (prometheus)`);
  const dir = mkdtempSync(join(tmpdir(), 'rb-prometheus-'));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  const port = await freePort();
  const config = join(dir, 'prometheus.yml');
  if (o.rules) writeFileSync(join(dir, 'rules.yml'), o.rules);
  writeFileSync(config, [
    'global:', '  scrape_interval: 1s', '  evaluation_interval: 1s',
    ...(o.rules ? ['rule_files:', `  - ${JSON.stringify(join(dir, 'rules.yml'))}`] : []),
    'scrape_configs:', '  - job_name: prometheus', '    static_configs:', `      - targets: ['127.0.0.1:${port}']`, '',
  ].join('\n'));
  const child = spawn(PROMETHEUS_BIN, [
    `--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (log.length < 20_000) log += d.toString();
  });
  killAtExit(child, cleanup);
  const url = `http://127.0.0.1:${port}`;
  const stop = (): Promise<void> => stopServer(child, 'SIGTERM', 5000, cleanup);
  try {
    await waitUntil('prometheus', async () => {
      if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}:\n${log}`);
      try {
        const r = await fetch(`${url}/api/v1/query?query=count_over_time(up%5B1m%5D)%3E%3D3`);
        const body = (await r.json()) as { data?: { result?: unknown[] } };
        return (body.data?.result?.length ?? 0) > 0;
      } catch {
        return false;
      }
    }, 30_000, () => log);
  } catch (err) {
    await stop();
    throw err;
  }
  return { port, url, stop };
}
