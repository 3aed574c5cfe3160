// Which values are secret in a run: one policy for the runner's redactor (shell output, messages) and the
// SQL, HTTP and PromQL executors' own. Secret are the variables marked `secret: true`, the variables a
// connection takes its password or token from, and the password environment variables a driver reads
// (PGPASSWORD, MYSQL_PWD) when set.
import type { FrontMatter } from '../format/frontMatter.js';
import type { Secret } from '../redact/redactor.js';

const PASSWORD_ENV: Record<string, string> = { postgres: 'PGPASSWORD', mysql: 'MYSQL_PWD' };

/** Names of the variables whose values are secret in this runbook. */
export function secretVariableNames(fm: FrontMatter | undefined): string[] {
  const names = new Set<string>();
  for (const [name, v] of Object.entries(fm?.variables ?? {})) if (v.secret === true) names.add(name);
  for (const c of Object.values(fm?.connections ?? {})) {
    if (c.passwordVariable) names.add(c.passwordVariable);
    if (c.tokenVariable) names.add(c.tokenVariable);
  }
  return [...names];
}

export interface SecretsOptions {
  /** More variable names to treat as secret (an executor's configured ones). */
  names?: Iterable<string>;
  /** Drivers whose password environment variable counts (default: those of the runbook's connections). */
  drivers?: Iterable<string>;
  env?: NodeJS.ProcessEnv;
}

/** The secret values of a run: each with the name it is redacted as (`[REDACTED:NAME]`). */
export function runSecrets(fm: FrontMatter | undefined, variables: Record<string, string>, o: SecretsOptions = {}): Secret[] {
  const names = new Set([...secretVariableNames(fm), ...(o.names ?? [])]);
  const out: Secret[] = [];
  for (const name of names) {
    const value = variables[name];
    if (value) out.push({ name, value });
  }
  const env = o.env ?? process.env;
  const drivers = new Set(o.drivers ?? Object.values(fm?.connections ?? {}).map((c) => c.driver));
  for (const driver of drivers) {
    const envName = PASSWORD_ENV[driver];
    const value = envName ? env[envName] : undefined;
    if (envName && value) out.push({ name: envName, value });
  }
  return out;
}
