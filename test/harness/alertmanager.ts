// A real, throw-away Alertmanager for tests: Debian's /usr/bin/prometheus-alertmanager on 127.0.0.1 with
// clustering off, a temp storage directory and one `webhook_configs` receiver pointing at `webhookUrl`
// (group_wait 0s, so an alert posted to its API v2 reaches the webhook within about a second).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { killAtExit, stopServer, waitUntil } from './postgres.js';

export const ALERTMANAGER_BIN = '/usr/bin/prometheus-alertmanager';

export interface AlertmanagerServer {
  url: string;
  /** POSTs alerts to /api/v2/alerts. */
  postAlerts(alerts: unknown[]): Promise<void>;
  stop(): Promise<void>;
}

/** Why Alertmanager tests cannot run here, or undefined when they can (pass it to requirement()). */
export function alertmanagerSkipReason(): string | undefined {
  return existsSync(ALERTMANAGER_BIN) ? undefined : 'Alertmanager is not installed: bash scripts/install-debian-packages.sh (prometheus-alertmanager)';
}

export async function startAlertmanager(webhookUrl: string): Promise<AlertmanagerServer> {
  if (!existsSync(ALERTMANAGER_BIN)) throw new Error(`${ALERTMANAGER_BIN} is missing: bash scripts/install-debian-packages.sh (prometheus-alertmanager)`);
  const dir = mkdtempSync(join(tmpdir(), 'rb-alertmanager-'));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  const port = await freePort();
  const config = join(dir, 'alertmanager.yml');
  writeFileSync(config, [
    'route:', '  receiver: hook', '  group_by: [alertname]', '  group_wait: 0s', '  group_interval: 1s', '  repeat_interval: 1h',
    'receivers:', '  - name: hook', '    webhook_configs:', `      - url: ${JSON.stringify(webhookUrl)}`, '        send_resolved: false', '',
  ].join('\n'));
  const child = spawn(ALERTMANAGER_BIN, [
    `--config.file=${config}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=', '--log.level=warn',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (log.length < 20_000) log += d.toString();
  });
  killAtExit(child, cleanup);
  const url = `http://127.0.0.1:${port}`;
  const stop = (): Promise<void> => stopServer(child, 'SIGTERM', 5000, cleanup);
  try {
    await waitUntil('alertmanager', async () => {
      if (child.exitCode !== null) throw new Error(`alertmanager exited with ${child.exitCode}:\n${log}`);
      try {
        return (await fetch(`${url}/-/ready`)).ok;
      } catch {
        return false;
      }
    }, 30_000, () => log);
  } catch (err) {
    await stop();
    throw err;
  }
  const postAlerts = async (alerts: unknown[]): Promise<void> => {
    const r = await fetch(`${url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
    if (!r.ok) throw new Error(`POST /api/v2/alerts: HTTP ${r.status} ${await r.text()}`);
  };
  return { url, postAlerts, stop };
}
