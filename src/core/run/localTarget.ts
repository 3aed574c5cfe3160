// The machine VS Code (or the CLI) runs on, as an execution target.
import { hostname, userInfo } from 'node:os';
import type { ResolvedTarget } from '../contract/types.js';

export const LOCAL = 'local';

export function localTarget(): ResolvedTarget {
  const user = safeUser();
  const host = hostname();
  return { name: LOCAL, kind: 'local', label: `${user}@${host}`, user, host };
}

/** Who runs the runbook: the operator recorded in the execution log. */
export function operatorName(): string {
  return process.env.RUNBOOK_OPERATOR || safeUser();
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
