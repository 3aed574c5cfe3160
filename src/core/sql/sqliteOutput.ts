// Reads the sqlite3 CLI's stdout (JSON mode, `.timer on`, `.changes on`, a `.print` marker before each
// statement) line by line into per-statement results, keeping at most the row cap of rows per statement.
import { firstKeyword } from './split.js';
import { RowCollector, type DriverRun, type SqlValue, type StatementResult } from './types.js';

const MAX_TEXT_LINES = 5000;

interface Pending {
  index: number;
  rows: RowCollector;
  columns?: string[];
  /** Per column: every kept value was a JSON number (or null). */
  numeric?: boolean[];
  text: string[];
  ms: number;
  changes?: number;
  totalChanges?: number;
}

export class OutputParser {
  private buffer = '';
  private pending: Pending | undefined;
  private done: StatementResult[] = [];
  private lastTotal = 0;
  current: number | undefined;
  finished = false;

  constructor(private readonly marker: string, private readonly run: DriverRun) {}

  push(chunk: string): void {
    this.buffer += chunk;
    let nl = this.buffer.indexOf('\n');
    let from = 0;
    while (nl >= 0) {
      this.line(this.buffer.slice(from, nl));
      from = nl + 1;
      nl = this.buffer.indexOf('\n', from);
    }
    this.buffer = this.buffer.slice(from);
  }

  end(): void {
    if (this.buffer) this.line(this.buffer);
    this.buffer = '';
    this.flush();
  }

  results(): StatementResult[] {
    return this.done;
  }

  private line(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.startsWith(this.marker)) {
      this.flush();
      const what = line.slice(this.marker.length + 1);
      if (what === 'end') {
        this.finished = true;
        this.current = undefined;
        return;
      }
      this.current = Number(what);
      this.pending = { index: this.current, rows: new RowCollector(this.run.rowCap), text: [], ms: 0 };
      return;
    }
    const p = this.pending;
    if (!p) return; // preamble (.timeout, PRAGMA) output
    const time = /^Run Time: real (\d+(?:\.\d+)?)/.exec(line);
    if (time) {
      p.ms += Number(time[1]) * 1000;
      return;
    }
    const changes = /^changes:\s+(\d+)\s+total_changes:\s+(\d+)$/.exec(line);
    if (changes) {
      p.changes = Number(changes[1]);
      p.totalChanges = Number(changes[2]);
      return;
    }
    const statement = this.run.statements[p.index];
    if (!statement?.source.dot && (line.startsWith('[{') || line.startsWith('{'))) {
      if (p.rows.full && p.columns) {
        p.rows.count++;
        return;
      }
      const row = parseJsonRow(line.replace(/^\[/, '').replace(/[,\]]$/, ''));
      if (row) {
        if (!p.columns) {
          p.columns = row.keys;
          p.numeric = row.keys.map(() => true);
        }
        row.numeric.forEach((isNum, i) => {
          if (!isNum && row.values[i] !== null) p.numeric![i] = false;
        });
        p.rows.add(row.values);
        return;
      }
    }
    if (p.text.length < MAX_TEXT_LINES) p.text.push(line);
  }

  private flush(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    const statement = this.run.statements[p.index];
    const command = statement ? (statement.source.dot ? statement.text.split(/\s+/)[0] : firstKeyword(statement.source)) : undefined;
    const total = p.totalChanges ?? this.lastTotal;
    const delta = total - this.lastTotal;
    this.lastTotal = total;
    const result: StatementResult = { index: p.index, rows: p.rows.rows, rowCount: p.rows.count, command, ms: Math.round(p.ms * 10) / 10, notices: [] };
    while (p.text.length && p.text[p.text.length - 1] === '') p.text.pop();
    if (p.columns) result.columns = p.columns.map((name, i) => ({ name, numeric: p.numeric![i] && p.rows.rows.some((r) => r[i] !== null) }));
    else if (!statement?.source.dot && !p.text.length && delta === 0 && /^(SELECT|VALUES|WITH|PRAGMA|EXPLAIN)$/.test(command ?? '')) result.columns = [];
    else if (delta > 0 || /^(INSERT|UPDATE|DELETE|REPLACE)$/.test(command ?? '')) result.affected = delta > 0 ? p.changes ?? delta : 0;
    if (p.text.length) result.text = p.text.join('\n');
    this.done.push(result);
  }
}

const STRING = /"(?:[^"\\]|\\.)*"/y;

/** One row of `sqlite3 -json` output, keys in order (duplicates and numeric names kept), numbers as printed. */
export function parseJsonRow(text: string): { keys: string[]; values: SqlValue[]; numeric: boolean[] } | undefined {
  if (!text.startsWith('{')) return undefined;
  const keys: string[] = [];
  const values: SqlValue[] = [];
  const numeric: boolean[] = [];
  let i = 1;
  while (i < text.length) {
    if (text[i] === '}') return { keys, values, numeric };
    STRING.lastIndex = i;
    const k = STRING.exec(text);
    if (!k || text[i + k[0].length] !== ':') return undefined;
    keys.push(JSON.parse(k[0]) as string);
    i += k[0].length + 1;
    if (text[i] === '"') {
      STRING.lastIndex = i;
      const v = STRING.exec(text);
      if (!v) return undefined;
      values.push(JSON.parse(v[0]) as string);
      numeric.push(false);
      i += v[0].length;
    } else {
      let j = i;
      while (j < text.length && text[j] !== ',' && text[j] !== '}') j++;
      const raw = text.slice(i, j).trim();
      values.push(raw === 'null' ? null : raw);
      numeric.push(raw !== 'null');
      i = j;
    }
    if (text[i] === ',') i++;
  }
  return undefined;
}
