// `runbook check [--ssh-config FILE | --no-ssh-config] FILE...`: the language server's diagnostics on the
// command line, one per line as `file:line:col severity message [code]` (1-based). Exits 1 when any file
// has an error; warnings and information do not fail.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { checkRunbook, type CheckOptions, type Severity } from '../core/check/index.js';
import { defaultTargetEnv } from '../core/ssh/targets.js';
import { decodeUtf8, UsageError } from './roundtrip.js';

export function checkCommand(args: string[], out: (s: string) => void): number {
  const files: string[] = [];
  let sshConfigPath: string | null = join(homedir(), '.ssh', 'config');
  let explicitSsh = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--no-ssh-config') sshConfigPath = null;
    else if (a === '--ssh-config') {
      sshConfigPath = args[++i] ?? null;
      if (sshConfigPath === null) throw new UsageError('--ssh-config needs a FILE');
      explicitSsh = true;
    } else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else files.push(a);
  }
  if (!files.length) throw new UsageError('check needs at least one FILE');
  const options: CheckOptions = {};
  if (sshConfigPath && (explicitSsh || existsSync(sshConfigPath))) {
    options.sshConfig = readFileSync(sshConfigPath, 'utf8');
    options.sshEnv = defaultTargetEnv();
    options.sshConfigPath = sshConfigPath;
  }

  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const file of files) {
    let text: string;
    try {
      text = decodeUtf8(readFileSync(file));
    } catch (e) {
      out(`${file}:1:1 error ${(e as Error).message}`);
      counts.error++;
      continue;
    }
    for (const d of checkRunbook(text, { ...options, baseDir: dirname(resolve(file)) })) {
      counts[d.severity]++;
      out(`${file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.message} [${d.code}]`);
    }
  }
  out(`${counts.error} error(s), ${counts.warning} warning(s), ${counts.information + counts.hint} note(s) in ${files.length} file(s)`);
  return counts.error ? 1 : 0;
}
