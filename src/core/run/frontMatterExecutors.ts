// SQL, HTTP and PromQL executors configured from the runbook's front matter (connections, secret variable names).
// The front matter can change while a notebook is open, so an executor is kept per configuration.
import type { FrontMatter } from '../format/frontMatter.js';
import { HttpExecutor, type HttpExecutorOptions } from '../http/executor.js';
import { PrometheusExecutor, type PrometheusExecutorOptions } from '../prometheus/executor.js';
import type { PrometheusConfig } from '../prometheus/connection.js';
import { SqlExecutor, type SqlExecutorOptions } from '../sql/executor.js';
import type { ConnectionConfig } from '../sql/connection.js';
import type { ExecutionRequest, ExecutionResult, Executor } from '../contract/types.js';
import { secretVariableNames as secretNames } from '../contract/secrets.js';


/** Delegates to one executor per configuration key, disposing the ones it replaces. */
class PerConfiguration<O> implements Executor {
  private key = '';
  private current: Executor | undefined;

  constructor(private readonly options: (fm: FrontMatter | undefined) => O, private readonly make: (o: O) => Executor) {}

  run(request: ExecutionRequest): Promise<ExecutionResult> {
    const options = this.options(request.frontMatter);
    const key = JSON.stringify(options, (_k, v: unknown) => (typeof v === 'function' ? undefined : v));
    if (!this.current || key !== this.key) {
      this.current?.dispose();
      this.current = this.make(options);
      this.key = key;
    }
    return this.current.run(request);
  }

  dispose(): void {
    this.current?.dispose();
    this.current = undefined;
  }
}

export function sqlExecutor(base: Omit<SqlExecutorOptions, 'connections' | 'secrets'> = {}): Executor {
  return new PerConfiguration(
    (fm) => ({ ...base, connections: (fm?.connections ?? {}) as Record<string, ConnectionConfig>, secrets: secretNames(fm) }),
    (o: SqlExecutorOptions) => new SqlExecutor(o),
  );
}

export function httpExecutor(base: Omit<HttpExecutorOptions, 'secrets'> = {}): Executor {
  return new PerConfiguration((fm) => ({ ...base, secrets: secretNames(fm) }), (o: HttpExecutorOptions) => new HttpExecutor(o));
}

export function prometheusExecutor(base: Omit<PrometheusExecutorOptions, 'connections' | 'secrets'> = {}): Executor {
  return new PerConfiguration(
    (fm) => ({ ...base, connections: (fm?.connections ?? {}) as Record<string, PrometheusConfig>, secrets: secretNames(fm) }),
    (o: PrometheusExecutorOptions) => new PrometheusExecutor(o),
  );
}
