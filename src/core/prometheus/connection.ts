// Which Prometheus a `promql` cell asks (`db=NAME`, or the only `driver: prometheus` connection), where it
// is, and its bearer token (from a secret variable, never from the runbook file).
import type { ExecutionRequest } from '../contract/types.js';

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

export function choosePrometheus(request: Pick<ExecutionRequest, 'attributes'>, connections: Record<string, PrometheusConfig>): ChosenPrometheus {
  const names = Object.keys(connections).filter((n) => connections[n]!.driver === 'prometheus');
  const listed = names.length ? `prometheus connections in this runbook: ${names.join(', ')}` : 'this runbook has no connection with driver: prometheus in its front matter';
  const db = request.attributes.db;
  let name: string;
  if (db !== undefined && db !== null && db !== '') {
    name = String(db);
    const config = connections[name];
    if (!config) throw new PrometheusConfigError(`db=${name}: no such connection (${listed})`);
    if (config.driver !== 'prometheus') throw new PrometheusConfigError(`db=${name} is a ${config.driver} connection, not prometheus (${listed})`);
  } else if (names.length === 1) {
    name = names[0]!;
  } else {
    throw new PrometheusConfigError(`this cell does not say which Prometheus to ask: add db=NAME to its fence (${listed})`);
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
