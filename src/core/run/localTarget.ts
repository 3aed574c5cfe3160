// The machine VS Code (or the CLI) runs on, as an execution target.
import { hostname } from 'node:os';
import type { ResolvedTarget } from '../contract/types.js';
import { localUser } from '../runbook/operator.js';

export const LOCAL = 'local';

export function localTarget(): ResolvedTarget {
  const user = localUser();
  const host = hostname();
  return { name: LOCAL, kind: 'local', label: `${user}@${host}`, user, host };
}
