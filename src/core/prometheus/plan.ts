// From a cell to a query: variables substituted, then instant (at `time=` or now) or range (`range=` back
// from `time=`/now, `step=` or about 120 points).
import type { Attributes } from '../format/model.js';
import { parseDuration } from '../util/duration.js';
import type { PromQuery } from './query.js';

const VAR = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * `{{NAME}}`, `${NAME}` and `$NAME` become the variable's value. An unknown `{{NAME}}` is an error; an unknown
 * `$NAME` stays as written (PromQL itself uses `$1` in label_replace).
 */
export function substituteQuery(source: string, variables: Record<string, string>): string {
  return source.trim().replace(VAR, (whole, mustache: string | undefined, braced: string | undefined, bare: string | undefined) => {
    const name = (mustache ?? braced ?? bare)!;
    const value = variables[name];
    if (value !== undefined) return value;
    if (mustache) throw new Error(`{{${name}}}: no variable ${name} (declare it in the front matter's variables:)`);
    return whole;
  });
}

function timeOf(value: Attributes[string] | undefined, nowMs: number): number {
  if (value === undefined || value === null || value === '' || value === 'now') return Math.round(nowMs) / 1000;
  const n = Number(value);
  if (Number.isFinite(n)) return n;
  const t = Date.parse(String(value));
  if (Number.isNaN(t)) throw new Error(`time=${value}: expected an RFC 3339 time (2026-11-23T05:12:00Z) or Unix seconds`);
  return t / 1000;
}

export function planQuery(query: string, attributes: Attributes, nowMs: number): PromQuery {
  if (!query) throw new Error('the cell has no query');
  const time = timeOf(attributes.time, nowMs);
  if (attributes.range === undefined || attributes.range === null || attributes.range === '') {
    if (attributes.step !== undefined) throw new Error('step= needs range= (a range query, e.g. range=1h step=1m)');
    return { kind: 'instant', query, time };
  }
  const rangeMs = parseDuration(attributes.range);
  if (!rangeMs) throw new Error(`range=${attributes.range}: expected a duration such as 30m, 1h or 2d`);
  const range = rangeMs / 1000;
  let step: number;
  if (attributes.step !== undefined && attributes.step !== null && attributes.step !== '') {
    const stepMs = parseDuration(attributes.step);
    if (!stepMs) throw new Error(`step=${attributes.step}: expected a duration such as 15s or 1m`);
    step = stepMs / 1000;
  } else step = Math.max(1, Math.round(range / 120));
  if (range / step > 11_000) throw new Error(`range=${attributes.range} step=${attributes.step ?? `${step}s`} asks for more than 11,000 points per series (Prometheus's limit): use a larger step`);
  return { kind: 'range', query, start: time - range, end: time, step };
}
