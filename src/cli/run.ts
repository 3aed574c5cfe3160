// `runbook run FILE [--cell NAME]... [--all] [--var K=V]... [--target HOST] [--out RECORD] [--yes]`:
// runs cells headless with the same core as the extension and writes the record in the same format.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseRunbook, serializeRunbook } from '../core/format/index.js';
import { CellRunner } from '../core/run/cellRunner.js';
import { httpExecutor, sqlExecutor } from '../core/run/frontMatterExecutors.js';
import { runDocument } from '../core/run/documentRunner.js';
import { operatorName } from '../core/run/localTarget.js';
import { ShellExecutor } from '../core/run/shellExecutor.js';
import { SshRemote } from '../core/run/sshRemote.js';
import { switchableRedactor } from '../core/run/switchableRedactor.js';
import { targetResolver } from '../core/run/targets.js';
import { declaredVariables } from '../core/run/variables.js';
import { parseDuration } from '../core/util/duration.js';
import { parseArgs } from './args.js';
import { decodeUtf8, UsageError } from './roundtrip.js';
import { terminalSshAsk, terminalUi } from './terminalUi.js';

export async function runCommand(args: string[], out: (s: string) => void): Promise<number> {
  const a = parseArgs(args, ['cell', 'var', 'target', 'out', 'timeout', 'max-output', 'ssh-config', 'known-hosts'],
    ['all', 'yes', 'continue-on-error']);
  if (a.positional.length !== 1) throw new UsageError('run needs exactly one FILE');
  const names = a.values.cell ?? [];
  if (!names.length && !a.flags.has('all')) throw new UsageError('say which cells to run: --cell NAME (repeatable) or --all');
  const file = a.positional[0]!;
  const doc = parseRunbook(decodeUtf8(readFileSync(file)));
  for (const e of doc.frontMatter?.errors ?? []) out(`${file}:${(e.line ?? 0) + 1}: front matter: ${e.message}`);

  const given: Record<string, string> = {};
  for (const d of declaredVariables(doc.frontMatter?.data)) if (process.env[d.name] !== undefined) given[d.name] = process.env[d.name]!;
  for (const kv of a.values.var ?? []) {
    const eq = kv.indexOf('=');
    if (eq < 1) throw new UsageError(`--var needs NAME=VALUE, got "${kv}"`);
    given[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  const timeout = a.values.timeout?.[0];
  const timeoutMs = timeout === undefined ? undefined : parseDuration(timeout);
  if (timeout !== undefined && timeoutMs === undefined) throw new UsageError(`--timeout: not a duration: ${timeout}`);

  const log = (s: string) => process.stderr.write(`${s}\n`);
  const interactive = !!process.stdin.isTTY && !!process.stderr.isTTY;
  const sshConfig = a.values['ssh-config']?.[0];
  const remote = new SshRemote({
    ask: terminalSshAsk({ interactive, log }),
    ...(sshConfig ? { sshConfigText: readFileSync(sshConfig, 'utf8') } : {}),
    ...(a.values['known-hosts'] ? { knownHostsFiles: a.values['known-hosts'] } : {}),
  });
  const redactor = switchableRedactor();
  const shell = new ShellExecutor({
    redact: redactor.redact,
    maxOutputBytes: Number(a.values['max-output']?.[0] ?? 256 * 1024),
    transportFor: (target) => remote.transport(target),
  });
  const sql = sqlExecutor({ connect: remote.connect, commandRunner: (host) => remote.commandRunner(host) });
  const http = httpExecutor({ connect: remote.connect });
  const runner = new CellRunner({
    executors: { shell, sql, http },
    resolveTarget: targetResolver(remote.resolve),
    defaultTarget: () => a.values.target?.[0] ?? 'local',
    operator: operatorName(),
    redactor,
    ui: terminalUi({ yes: a.flags.has('yes'), interactive, log }),
    defaultTimeoutMs: () => timeoutMs,
    variables: given,
  });
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.on('SIGINT', onSigint);
  try {
    const summary = await runDocument(doc, runner, {
      names, all: a.flags.has('all'), stopOnError: !a.flags.has('continue-on-error'), signal: abort.signal,
      onStdout: (s) => process.stdout.write(s),
      onStderr: (s) => process.stderr.write(s),
      onCell: (e) => {
        if (e.phase === 'start') log(`▶ ${e.name}`);
        else if (e.outcome) log(`${e.outcome.ok ? '✔' : '✖'} ${e.name}: ${describe(e.outcome)}`);
      },
    });
    const target = a.values.out?.[0] ?? file;
    writeFileSync(target, serializeRunbook(doc));
    out(`${summary.ran} ran, ${summary.failed} failed, ${summary.skipped} skipped${summary.stoppedAt ? ` (stopped after ${summary.stoppedAt})` : ''}; record written to ${target}`);
    return summary.failed ? 1 : 0;
  } finally {
    process.off('SIGINT', onSigint);
    shell.dispose();
    sql.dispose();
    http.dispose();
    remote.dispose();
  }
}

function describe(o: { status: string; exitCode: number | null; message?: string }): string {
  if (o.status === 'ran') return o.message ?? `exit ${o.exitCode}`;
  return o.message ?? o.status;
}
