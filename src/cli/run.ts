// `runbook run FILE [--cell NAME]... [--all] [--var K=V]... [--target HOST] [--db NAME] [--out RECORD] [--yes]`:
// runs cells headless with the same core as the extension and writes the record in the same format.
// Nothing is lost (DESIGN §3): RECORD is checked and locked before any cell runs, written (atomically)
// after every cell, and on SIGINT/SIGTERM/SIGHUP after the running cell was stopped.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { parseRunbook, serializeRunbook, type RunbookDocument } from '../core/format/index.js';
import { writeFileAtomic } from '../core/record/atomicWrite.js';
import { lock, type RecordLock } from '../core/record/lock.js';
import { checkRecordTarget, isBlank, isRecordOf, RecordTargetError } from '../core/record/target.js';
import { runDocument } from '../core/run/documentRunner.js';
import { createRunSession } from '../core/run/session.js';
import { declaredVariables } from '../core/run/variables.js';
import { operatorName } from '../core/runbook/operator.js';
import { parseDuration } from '../core/util/duration.js';
import { parseArgs } from './args.js';
import { decodeUtf8, UsageError } from './roundtrip.js';
import { RunSignals } from './runSignals.js';
import { terminalSshAsk, terminalUi } from './terminalUi.js';

export async function runCommand(args: string[], out: (s: string) => void): Promise<number> {
  const a = parseArgs(args, ['cell', 'var', 'target', 'db', 'out', 'timeout', 'max-output', 'ssh-config', 'known-hosts'],
    ['all', 'yes', 'continue-on-error', 'force', 'wait']);
  if (a.positional.length !== 1) throw new UsageError('run needs exactly one FILE');
  const names = a.values.cell ?? [];
  if (!names.length && !a.flags.has('all')) throw new UsageError('say which cells to run: --cell NAME (repeatable) or --all');
  const file = a.positional[0]!;
  const target = a.values.out?.[0] ?? file;
  const log = (s: string) => process.stderr.write(`${s}\n`);

  checkRecordTarget(target);
  let doc: RunbookDocument | undefined;
  const save = () => {
    if (doc) writeFileAtomic(target, serializeRunbook(doc));
  };
  const signals = new RunSignals((second) => {
    // A second signal: keep what ran and go now (the shells are hung up by their exit hook).
    try {
      save();
      log(`runbook: ${second} again: record written to ${target}; exiting`);
    } finally {
      process.exit(128 + (second === 'SIGINT' ? 2 : second === 'SIGHUP' ? 1 : 15));
    }
  });
  let held: RecordLock | undefined;
  try {
    try {
      held = await lockRecord(target, a.flags.has('wait'), signals.signal, log);
    } catch (e) {
      if (signals.received) return signals.exitCode!; // stopped while waiting for the lock: nothing ran
      throw e;
    }
    if (signals.received) return signals.exitCode!;
    doc = documentToRun(file, target, a.flags.has('force'));
    return await runLocked(a, file, doc, { names, target, save, signals, log, out });
  } finally {
    signals.dispose();
    held?.release();
  }
}

async function lockRecord(target: string, wait: boolean, signal: AbortSignal, log: (s: string) => void): Promise<RecordLock> {
  try {
    return await lock(target, { wait, signal, onWait: (e) => log(`runbook: ${e.message}; waiting…`) });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code) throw new RecordTargetError(`cannot write the record to ${target}: ${code} (${(e as Error).message})`);
    throw e;
  }
}

/**
 * The document the run writes into: the runbook itself, or the existing record at `target` when it is a
 * record of this runbook (its outputs and log are kept and continued). Anything else is refused unless forced.
 */
function documentToRun(file: string, target: string, force: boolean): RunbookDocument {
  const runbook = parseRunbook(decodeUtf8(readFileSync(file)));
  if (resolve(target) === resolve(file) || !existsSync(target)) return runbook;
  let text: string;
  try {
    text = decodeUtf8(readFileSync(target));
  } catch {
    text = '\0'; // not UTF-8: certainly not a record
  }
  if (isBlank(text)) return runbook;
  const existing = parseRunbook(text);
  if (isRecordOf(existing, runbook)) return existing;
  if (force) return runbook;
  throw new RecordTargetError(`${target} exists and is not a record of ${file} (its code cells differ); nothing was run. ` +
    'Give another --out, or add --force to replace that file');
}

interface RunContext {
  names: string[];
  target: string;
  save: () => void;
  signals: RunSignals;
  log: (s: string) => void;
  out: (s: string) => void;
}

async function runLocked(a: ReturnType<typeof parseArgs>, file: string, doc: RunbookDocument, c: RunContext): Promise<number> {
  for (const e of doc.frontMatter?.errors ?? []) c.out(`${file}:${(e.line ?? 0) + 1}: front matter: ${e.message}`);
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

  const log = c.log;
  const interactive = !!process.stdin.isTTY && !!process.stderr.isTTY;
  const sshConfig = a.values['ssh-config']?.[0];
  // Body files (`< ./x.json`) are read next to the runbook and must stay under the current folder (or its own).
  const baseDir = dirname(resolve(file));
  const root = relative(process.cwd(), baseDir).startsWith('..') ? baseDir : process.cwd();
  const db = a.values.db?.[0];
  const session = createRunSession({
    ssh: {
      ask: terminalSshAsk({ interactive, log }),
      ...(sshConfig ? { sshConfigText: readFileSync(sshConfig, 'utf8') } : {}),
      ...(a.values['known-hosts'] ? { knownHostsFiles: a.values['known-hosts'] } : {}),
    },
    maxOutputBytes: Number(a.values['max-output']?.[0] ?? 256 * 1024),
    bodyFiles: { baseDir, root },
    recordPath: () => c.target,
    baseDir,
    defaultTarget: () => a.values.target?.[0] ?? 'local',
    ...(db ? { defaultConnection: () => db } : {}),
    operator: operatorName(),
    ui: terminalUi({ yes: a.flags.has('yes'), interactive, log }),
    defaultTimeoutMs: () => timeoutMs,
    variables: given,
  });
  const runner = session.runner;
  try {
    const summary = await runDocument(doc, runner, {
      names: c.names, all: a.flags.has('all'), stopOnError: !a.flags.has('continue-on-error'), signal: c.signals.signal,
      onStdout: (s) => process.stdout.write(s),
      onStderr: (s) => process.stderr.write(s),
      onCell: (e) => {
        if (e.phase === 'start') log(`▶ ${e.name}`);
        else {
          c.save(); // after every cell: a kill or crash later loses nothing that ran
          if (e.outcome) log(`${e.outcome.ok ? '✔' : '✖'} ${e.name}: ${describe(e.outcome)}`);
        }
      },
    });
    c.save();
    const stopped = c.signals.received ? ` (stopped by ${c.signals.received})` : summary.stoppedAt ? ` (stopped after ${summary.stoppedAt})` : '';
    c.out(`${summary.ran} ran, ${summary.failed} failed, ${summary.skipped} skipped${stopped}; record written to ${c.target}`);
    return c.signals.exitCode ?? (summary.failed ? 1 : 0);
  } finally {
    await session.dispose(); // hangs up the sessions (remote ones over the still open connections)
  }
}

function describe(o: { status: string; exitCode: number | null; message?: string }): string {
  if (o.status === 'ran') return o.message ?? `exit ${o.exitCode}`;
  return o.message ?? o.status;
}
