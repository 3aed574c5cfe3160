// What a failed connection to a SQL server says, for the network failures every driver shares (the
// drivers add their own: login refused, unknown database, ...).
import type { SqlFailure } from './types.js';

export function networkError(code: string | undefined, where: string, connectTimeoutMs: number, timedOut = false):
  Omit<SqlFailure, 'kind'> | undefined {
  if (code === 'ECONNREFUSED') return { code, message: `cannot connect to ${where}: connection refused (is the server running and listening on that port?)` };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { code, message: `cannot connect to ${where}: host name not found` };
  if (code === 'ETIMEDOUT' || timedOut) return { code: code ?? 'ETIMEDOUT', message: `cannot connect to ${where}: no answer within ${connectTimeoutMs / 1000} s` };
  return undefined;
}
