// A query's answer as a GFM table: one row per series, one column per label (the metric name first), then
// the value (instant) or samples/min/max/last (range). Rows are sorted so the same data reads the same.
import { markdownTable } from '../sql/table.js';
import type { SqlColumn, SqlValue } from '../sql/types.js';
import { shortNumber } from './chart.js';
import type { QueryAnswer, Series } from './query.js';

export const DEFAULT_SERIES_CAP = 200;

function labelColumns(series: Series[]): string[] {
  const names = new Set<string>();
  for (const s of series) for (const k of Object.keys(s.labels)) names.add(k);
  const rest = [...names].filter((n) => n !== '__name__').sort();
  return names.has('__name__') ? ['__name__', ...rest] : rest;
}

const value = (v: number): string => (Number.isNaN(v) ? 'NaN' : String(v));

function sortKey(s: Series, cols: string[]): string {
  return cols.map((c) => s.labels[c] ?? '').join('\u0000');
}

export function answerTable(answer: QueryAnswer, kind: 'instant' | 'range', cap = DEFAULT_SERIES_CAP): { table: string; shown: number } {
  const labels = labelColumns(answer.series);
  const sorted = [...answer.series].sort((a, b) => (sortKey(a, labels) < sortKey(b, labels) ? -1 : sortKey(a, labels) > sortKey(b, labels) ? 1 : 0));
  const shown = sorted.slice(0, cap);
  const columns: SqlColumn[] = labels.map((name) => ({ name: name === '__name__' ? 'metric' : name }));
  if (!labels.length) columns.push({ name: 'series' });
  const numeric = kind === 'range' || answer.resultType === 'matrix' ? ['samples', 'min', 'max', 'last'] : ['value'];
  columns.push(...numeric.map((name) => ({ name, numeric: true })));
  const rows: SqlValue[][] = shown.map((s) => {
    const row: SqlValue[] = labels.length ? labels.map((l) => s.labels[l] ?? '') : ['{}'];
    const vs = s.samples.map(([, v]) => v);
    if (numeric.length === 1) row.push(vs.length ? value(vs[vs.length - 1]!) : '');
    else {
      const finite = vs.filter(Number.isFinite);
      row.push(String(vs.length), finite.length ? shortNumber(Math.min(...finite)) : '', finite.length ? shortNumber(Math.max(...finite)) : '', vs.length ? value(vs[vs.length - 1]!) : '');
    }
    return row;
  });
  return { table: markdownTable(columns, rows), shown: shown.length };
}
