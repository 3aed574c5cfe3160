// SQLite through the target host's `sqlite3` CLI in JSON mode (no native module: DESIGN §3). All statements
// go to one process on stdin, each after a `.print` marker, so its rows, `.timer` time and `.changes` count
// can be told apart; `-bail` stops at the first error and the last marker seen names the failed statement.
import { randomBytes } from 'node:crypto';
import type { CommandRunner } from './commandRunner.js';
import { OutputParser } from './sqliteOutput.js';
import { elapsed, type DriverOutcome, type DriverRun, type SqlDriver, type SqlFailure } from './types.js';

export { parseJsonRow } from './sqliteOutput.js';

export interface SqliteDriverOptions {
  runner: CommandRunner;
  /** Database file on the host the runner runs on. */
  path: string;
  /** Where it runs, for messages ("local" or a host name). */
  hostLabel: string;
  /** The CLI program (default "sqlite3"). */
  program?: string;
  /** How long a statement waits for a lock held by another process (default 5000 ms). */
  busyTimeoutMs?: number;
}

/** Dot-commands allowed in sql cells: they only read. Others (.shell, .output, .mode, ...) are refused. */
const SAFE_DOT = new Set(['.tables', '.schema', '.indexes', '.indices', '.fullschema', '.dbinfo', '.databases', '.stats']);

export class SqliteDriver implements SqlDriver {
  constructor(private readonly options: SqliteDriverOptions) {}

  async execute(run: DriverRun): Promise<DriverOutcome> {
    for (const st of run.statements) {
      if (!st.source.dot) continue;
      const cmd = st.text.split(/\s+/)[0]!.toLowerCase();
      if (!SAFE_DOT.has(cmd)) {
        return { results: [], failure: { kind: 'statement', statement: st.index, message: `the sqlite3 dot-command ${cmd} is not allowed in a sql cell (allowed: ${[...SAFE_DOT].join(' ')}); use a bash cell for anything else` } };
      }
    }
    if (run.readonly && run.statements.some((s) => /\bquery_only\b/i.test(s.source.code))) {
      return { results: [], failure: { kind: 'config', message: 'a readonly=true cell may not change PRAGMA query_only' } };
    }
    const marker = `@@runbook-${randomBytes(6).toString('hex')}`;
    const input: string[] = [`.timeout ${this.options.busyTimeoutMs ?? 5000}`, '.timer on', '.changes on'];
    if (run.readonly) input.push('PRAGMA query_only=1;');
    for (const st of run.statements) {
      input.push(`.print ${marker} ${st.index}`);
      input.push(st.source.dot ? st.text : `${st.text}\n;`);
    }
    input.push(`.print ${marker} end`);
    const parser = new OutputParser(marker, run);
    const argv = [this.options.program ?? 'sqlite3', '-init', '/dev/null', '-batch', '-json', '-bail', sqliteUri(this.options.path)];
    const t0 = process.hrtime.bigint();
    const res = await this.options.runner.run(argv, input.join('\n') + '\n', run.signal, (chunk) => parser.push(chunk));
    if (res.stdout) parser.push(res.stdout);
    parser.end();
    const results = parser.results();
    if (run.signal.aborted) {
      return { results, failure: { kind: 'cancelled', statement: parser.current, message: 'stopped: the sqlite3 process was killed' } };
    }
    if (parser.finished && res.exitCode === 0) return { results };
    const failure = this.failure(res.stderr, res.exitCode, parser.current, elapsed(t0));
    const failed = failure.statement !== undefined ? run.statements[failure.statement] : undefined;
    if (failed && failure.snippet !== undefined && failure.caret !== undefined) {
      failure.position = sqliteErrorOffset(`${failed.text}\n;`, failure.snippet, failure.caret);
    }
    delete failure.snippet;
    delete failure.caret;
    return { results: results.filter((r) => r.index !== failure.statement), failure };
  }

  private failure(stderr: string, exitCode: number | null, current: number | undefined, ms: number): SqlFailure & { snippet?: string; caret?: number } {
    const where = this.options.hostLabel === 'local' ? 'on this machine' : `on host "${this.options.hostLabel}"`;
    const program = this.options.program ?? 'sqlite3';
    if (exitCode === 127 || /command not found|No such file or directory.*sqlite3/.test(stderr)) {
      return { kind: 'connect', message: `the ${program} CLI is not installed ${where} (install it, e.g. apt-get install sqlite3)` };
    }
    if (/unknown option: -?json/i.test(stderr)) {
      return { kind: 'connect', message: `the ${program} CLI ${where} is older than 3.33 and has no JSON mode; install a newer sqlite3` };
    }
    const text = stderr.trim();
    if (current === undefined) {
      const detail = text.replace(/^Error:\s*/, '') || `${program} exited with status ${exitCode}`;
      return { kind: 'connect', message: `cannot open the SQLite database ${this.options.path} ${where}: ${detail}` };
    }
    const f = parseSqliteError(text);
    if (!f.message) f.message = exitCode === null ? `${program} was killed after ${ms} ms` : `${program} exited with status ${exitCode}`;
    return { kind: 'statement', statement: current, ...f };
  }
}

/** A `file:` URI opening the database read-write without creating it (a mistyped path must not make an empty file). */
export function sqliteUri(path: string): string {
  return `file:${path.replace(/[%?#]/g, (c) => encodeURIComponent(c))}?mode=rw`;
}

const SQLITE_CODES: Record<string, string> = {
  '1': 'SQLITE_ERROR', '5': 'SQLITE_BUSY', '6': 'SQLITE_LOCKED', '8': 'SQLITE_READONLY', '11': 'SQLITE_CORRUPT',
  '13': 'SQLITE_FULL', '14': 'SQLITE_CANTOPEN', '19': 'SQLITE_CONSTRAINT', '20': 'SQLITE_MISMATCH', '26': 'SQLITE_NOTADB',
};

/** Message, code and position from the CLI's error report (3.38+ adds the statement and a caret). */
export function parseSqliteError(stderr: string): Omit<SqlFailure, 'kind'> & { snippet?: string; caret?: number } {
  const lines = stderr.split('\n');
  const headIndex = lines.findIndex((l) => /^(Parse error|Runtime error|Error)\b/.test(l));
  const head = headIndex >= 0 ? lines[headIndex]! : lines[0] ?? '';
  let message = head.replace(/^(?:Parse error|Runtime error|Error)(?::)?(?: near line \d+)?:\s*/, '').replace(/^near line \d+:\s*/, '');
  let code: string | undefined;
  const m = /\s\((\d+)\)$/.exec(message);
  if (m) {
    // Parse errors carry a number that is not a useful code; runtime errors carry the result code.
    if (!head.startsWith('Parse error')) code = SQLITE_CODES[m[1]!] ?? `SQLITE_${m[1]}`;
    message = message.slice(0, m.index);
  }
  const snippetLine = lines[headIndex + 1];
  const caretLine = lines[headIndex + 2];
  if (headIndex >= 0 && snippetLine?.startsWith('  ') && caretLine && /\^/.test(caretLine)) {
    return { message, code, snippet: snippetLine.slice(2), caret: caretLine.indexOf('^') - 2 };
  }
  return { message, code };
}

/** Offset of the error in `text` from the CLI's snippet (whitespace shown as spaces, window of 78 chars). */
export function sqliteErrorOffset(text: string, snippet: string, caret: number): number | undefined {
  const flat = text.replace(/\s/g, ' ');
  const probe = snippet.replace(/\s+$/, '');
  if (!probe) return undefined;
  const at = flat.startsWith(probe) ? 0 : flat.indexOf(probe);
  return at < 0 ? undefined : Math.min(at + caret, text.length);
}
