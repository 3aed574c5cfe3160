// A real, throw-away Alertmanager for tests: Debian's /usr/bin/prometheus-alertmanager on 127.0.0.1 with
// clustering off, a temp storage directory and one `webhook_configs` receiver pointing at `webhookUrl`
// (group_wait 0s, so an alert posted to its API v2 reaches the webhook within about a second).
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLoopbackServer } from './loopbackServer.js';

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
  const { url, stop } = await startLoopbackServer({
    name: 'alertmanager', bin: ALERTMANAGER_BIN, install: 'prometheus-alertmanager',
    setup: (dir, port) => {
      const config = join(dir, 'alertmanager.yml');
      writeFileSync(config, [
        'route:', '  receiver: hook', '  group_by: [alertname]', '  group_wait: 0s', '  group_interval: 1s', '  repeat_interval: 1h',
        'receivers:', '  - name: hook', '    webhook_configs:', `      - url: ${JSON.stringify(webhookUrl)}`, '        send_resolved: false', '',
      ].join('\n'));
      return [`--config.file=${config}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=', '--log.level=warn'];
    },
    ready: async (url) => (await fetch(`${url}/-/ready`)).ok,
  });
  const postAlerts = async (alerts: unknown[]): Promise<void> => {
    const r = await fetch(`${url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
    if (!r.ok) throw new Error(`POST /api/v2/alerts: HTTP ${r.status} ${await r.text()}`);
  };
  return { url, postAlerts, stop };
}
