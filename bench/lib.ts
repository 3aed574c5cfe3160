// Shared benchmark plumbing: timing (median after warm-up), memory snapshots and the result table.
// A benchmark section (one file under bench/) returns rows, a reference row and targets; run.ts prints them.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface Memory {
  /** heapUsed right after the operation minus before it (GC may have run meanwhile: a lower bound). */
  heapDelta: number;
  /** heapUsed after a full GC with the result still alive minus before (what the result keeps). */
  retained: number;
  /** rss after minus before: noisy (pages freed by earlier GCs are returned lazily, so it can be negative). */
  rssDelta: number;
}

export interface BenchRow {
  name: string;
  /** Median wall time of one run, in ms. */
  ms: number;
  /** Input size the MB/s figure is computed on, in bytes. */
  bytes: number;
  all: number[];
  memory?: Memory;
  /** Shown after the name, e.g. "(reference)". */
  note?: string;
  /**
   * What one timed run covers, e.g. "whole process: spawn curl, connect, GET, exit" or "in-process: one
   * HttpExecutor.run inside this Node process (no process start)". Required for rows that targets compare.
   */
  measures?: string;
}

export interface BenchTarget {
  /** e.g. "deserialize no slower than the tokenizer". */
  name: string;
  /** Row whose time is compared with the section's reference row. */
  row: string;
  /** Highest allowed ratio row time / reference time. */
  maxRatio: number;
  /** Highest allowed difference row time − reference time, in ms (a budget on top of the reference). */
  maxExtraMs?: number;
}

/** Whether a target holds, and how it is shown: "1.45x (target ≤ 2x)" or "+31.0 ms (target ≤ +60 ms)". */
export function targetOutcome(t: BenchTarget, rowMs: number, refMs: number): { pass: boolean; shown: string } {
  const ratio = rowMs / refMs;
  const extra = rowMs - refMs;
  const parts: string[] = [];
  let pass = true;
  if (Number.isFinite(t.maxRatio)) {
    pass &&= ratio <= t.maxRatio;
    parts.push(`${ratio.toFixed(2)}x (target ≤ ${t.maxRatio}x)`);
  }
  if (t.maxExtraMs !== undefined) {
    pass &&= extra <= t.maxExtraMs;
    parts.push(`+${extra.toFixed(1)} ms (target ≤ +${t.maxExtraMs} ms)`);
  }
  return { pass: pass && Number.isFinite(ratio), shown: parts.join(', ') };
}

export interface BenchCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface SectionResult {
  rows: BenchRow[];
  /** Name of the row the ratios are computed against. */
  reference: string;
  targets: BenchTarget[];
  checks: BenchCheck[];
  notes: string[];
}

export interface BenchSection {
  title: string;
  run(options: BenchOptions): SectionResult | Promise<SectionResult>;
}

export interface BenchOptions {
  warmup: number;
  runs: number;
}

const gc: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/** Keeps the last result alive so the optimizer cannot drop the work. */
const sink: unknown[] = [];

/** Runs `fn` `warmup` times, then `runs` times, and returns the median and all timings (ms). */
export function time<T>(fn: () => T, options: BenchOptions): { ms: number; all: number[] } {
  for (let i = 0; i < options.warmup; i++) sink[0] = fn();
  const all: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    sink[0] = undefined;
    gc();
    const t0 = process.hrtime.bigint();
    sink[0] = fn();
    all.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  sink[0] = undefined;
  return { ms: median(all), all };
}

/** One run of `fn` between memory snapshots (call it before the timing loops for less noise). */
export function memory<T>(fn: () => T): Memory {
  gc();
  const before = process.memoryUsage();
  sink[0] = fn();
  const after = process.memoryUsage();
  gc();
  const kept = process.memoryUsage();
  sink[0] = undefined;
  return {
    heapDelta: after.heapUsed - before.heapUsed,
    retained: kept.heapUsed - before.heapUsed,
    rssDelta: after.rss - before.rss,
  };
}

/** Measures memory once, then time; returns a finished row. */
export function measure<T>(name: string, bytes: number, fn: () => T, options: BenchOptions, note?: string): BenchRow {
  const mem = memory(fn);
  const { ms, all } = time(fn, options);
  return { name, ms, bytes, all, memory: mem, note };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

export type Verdict = 'PASS' | 'MISS' | 'FAIL';

/**
 * A section's verdict: FAIL when it could not run or proves nothing (no rows, no target, a failed check, a
 * target whose rows are missing or do not say what they measure), MISS when a target was missed, else PASS.
 */
export function verdictOf(r: SectionResult): { verdict: Verdict; reasons: string[] } {
  const fail: string[] = [];
  const miss: string[] = [];
  if (!r.rows.length) fail.push('no measurements');
  if (!r.targets.length) fail.push('no target');
  for (const c of r.checks) if (!c.ok) fail.push(`check failed: ${c.name}${c.detail ? ` (${c.detail})` : ''}`);
  const ref = r.rows.find((x) => x.name === r.reference);
  for (const t of r.targets) {
    const row = r.rows.find((x) => x.name === t.row);
    if (!row || !ref) {
      fail.push(`target "${t.name}": row "${!row ? t.row : r.reference}" was not measured`);
      continue;
    }
    for (const side of [row, ref]) if (!side.measures) fail.push(`target "${t.name}": row "${side.name}" does not say what it measures`);
    const outcome = targetOutcome(t, row.ms, ref.ms);
    if (!outcome.pass) miss.push(`${t.name}: ${outcome.shown}`);
  }
  if (fail.length) return { verdict: 'FAIL', reasons: [...fail, ...miss] };
  if (miss.length) return { verdict: 'MISS', reasons: miss };
  return { verdict: 'PASS', reasons: [] };
}

/** Prints a section: the table, what each row measures, targets (PASS/MISS) and checks. Returns whether every target passed. */
export function printSection(title: string, r: SectionResult): boolean {
  const ref = r.rows.find((x) => x.name === r.reference);
  const header = ['name', 'median ms', 'MB/s', `ratio vs ${r.reference}`, 'heap Δ MB', 'retained MB', 'rss Δ MB'];
  const body = r.rows.map((row) => [
    row.note ? `${row.name} ${row.note}` : row.name,
    row.ms.toFixed(1),
    (row.bytes / 1024 / 1024 / (row.ms / 1000)).toFixed(1),
    ref ? `${(row.ms / ref.ms).toFixed(2)}x` : '–',
    row.memory ? mb(row.memory.heapDelta) : '–',
    row.memory ? mb(row.memory.retained) : '–',
    row.memory ? mb(row.memory.rssDelta) : '–',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ');
  console.log(`\n## ${title}\n`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const b of body) console.log(line(b));
  const measured = r.rows.filter((row) => row.measures);
  if (measured.length) console.log('\nWhat one timed run of each row covers:');
  for (const row of measured) console.log(`  ${row.name}: ${row.measures}`);
  let allPass = true;
  if (r.targets.length) console.log('\nTargets:');
  for (const t of r.targets) {
    const row = r.rows.find((x) => x.name === t.row);
    const { pass, shown } = targetOutcome(t, row?.ms ?? NaN, ref?.ms ?? NaN);
    allPass &&= pass;
    console.log(`  ${pass ? 'PASS' : 'MISS'}  ${t.name}: ${shown}`);
    console.log(`        compares ${row?.measures ?? `"${t.row}" (not measured)`}`);
    console.log(`        with     ${ref?.measures ?? `"${r.reference}" (not measured)`}`);
  }
  if (r.checks.length) console.log('\nChecks:');
  for (const c of r.checks) console.log(`  ${c.ok ? 'OK  ' : 'FAIL'}  ${c.name}${c.detail ? `: ${c.detail}` : ''}`);
  for (const n of r.notes) console.log(`  note: ${n}`);
  return allPass;
}

/** As `time`, for asynchronous work (process round trips, servers). */
export async function timeAsync<T>(fn: () => Promise<T>, options: BenchOptions): Promise<{ ms: number; all: number[] }> {
  for (let i = 0; i < options.warmup; i++) sink[0] = await fn();
  const all: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    sink[0] = undefined;
    const t0 = process.hrtime.bigint();
    sink[0] = await fn();
    all.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  sink[0] = undefined;
  return { ms: median(all), all };
}
