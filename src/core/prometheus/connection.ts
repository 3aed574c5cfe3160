// Which Prometheus a `promql` cell asks (`db=NAME`, or the only `driver: prometheus` connection), where it
// is, and its bearer token (from a secret variable, never from the runbook file).
import type { ExecutionRequest } from '../contract/types.js';
import { cellConnection } from '../runbook/connection.js';

/** A front matter `connections:` entry with `driver: prometheus`. */
export interface PrometheusConfig {
  driver: string;
  /** Base URL, e.g. http://prometheus:9090 (a path prefix is kept). */
  url?: string;
  /** SSH host to tunnel through (the URL's host and port as seen from there). */
  host?: string;
  /** Variable holding a bearer token. */
  tokenVariable?: string;
  [key: string]: unknown;
}

export class PrometheusConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrometheusConfigError';
  }
}

export interface ChosenPrometheus {
  name: string;
  config: PrometheusConfig;
  base: URL;
}

export function choosePrometheus(request: Pick<ExecutionRequest, 'attributes' | 'defaultConnection'>, connections: Record<string, PrometheusConfig>): ChosenPrometheus {
  let name: string;
  try {
    name = cellConnection({ attributes: request.attributes, language: 'promql' }, connections, request.defaultConnection).name;
  } catch (e) {
    throw new PrometheusConfigError((e as Error).message);
  }
  const config = connections[name]!;
  if (!config.url) throw new PrometheusConfigError(`connection "${name}" has no url: (e.g. http://prometheus:9090)`);
  let base: URL;
  try {
    base = new URL(config.url);
  } catch {
    throw new PrometheusConfigError(`connection "${name}": "${config.url}" is not a valid URL (expected http://host:9090)`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new PrometheusConfigError(`connection "${name}": a Prometheus URL starts with http:// or https://, not ${base.protocol}//`);
  }
  if (base.password || base.username) {
    throw new PrometheusConfigError(`connection "${name}": the URL contains credentials. They never go in the runbook: name a secret variable in the connection's tokenVariable entry`);
  }
  return { name, config, base };
}

/** The port the URL points at (its default when none is written). */
export function portOf(u: URL): number {
  if (u.port) return Number(u.port);
  return u.protocol === 'https:' ? 443 : 80;
}
