// Who runs the runbook, as recorded in outputs and the execution log: the operator named explicitly (the
// `runbook.operator` setting, `--operator`), else $RUNBOOK_OPERATOR, else the local user.
import { userInfo } from 'node:os';

export function operatorName(configured?: string, env: NodeJS.ProcessEnv = process.env): string {
  return configured?.trim() || env.RUNBOOK_OPERATOR || localUser(env);
}

export function localUser(env: NodeJS.ProcessEnv = process.env): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? 'unknown';
  }
}
