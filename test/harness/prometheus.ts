// A real, throw-away Prometheus for tests: Debian's /usr/bin/prometheus on 127.0.0.1 with a temp storage
// directory and a config that scrapes itself every second. start() returns once a sample of `up` exists.
// Stopped by stop() and, at the latest, when this process exits.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLoopbackServer } from './loopbackServer.js';

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
  const { port, url, stop } = await startLoopbackServer({
    name: 'prometheus', bin: PROMETHEUS_BIN, install: 'prometheus',
    setup: (dir, port) => {
      const config = join(dir, 'prometheus.yml');
      if (o.rules) writeFileSync(join(dir, 'rules.yml'), o.rules);
      writeFileSync(config, [
        'global:', '  scrape_interval: 1s', '  evaluation_interval: 1s',
        ...(o.rules ? ['rule_files:', `  - ${JSON.stringify(join(dir, 'rules.yml'))}`] : []),
        'scrape_configs:', '  - job_name: prometheus', '    static_configs:', `      - targets: ['127.0.0.1:${port}']`, '',
      ].join('\n'));
      return [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'];
    },
    // Ready once it has scraped itself a few times (range queries have data).
    ready: async (url) => {
      const r = await fetch(`${url}/api/v1/query?query=count_over_time(up%5B1m%5D)%3E%3D3`);
      const body = (await r.json()) as { data?: { result?: unknown[] } };
      return (body.data?.result?.length ?? 0) > 0;
    },
  });
  return { port, url, stop };
}
