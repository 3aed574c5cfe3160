// `{{name}}` substitution for http and sql cells (REST Client syntax): session variables, file variables
// (`@name = value`), earlier named responses (`{{login.response.body.$.token}}`, or httpYac's
// `{{login.token}}` for a property of the JSON body) and system variables
// (`{{$guid}}`, `{{$timestamp}}`, `{{$datetime iso8601}}`, `{{$randomInt 1 10}}`, `{{$processEnv HOME}}`).
// The result maps offsets back to the template, so an error position in the substituted text can be shown
// at its place in the cell.
import { randomInt, randomUUID } from 'node:crypto';

/** A response of an earlier request of the same cell that has a `# @name`. */
export interface NamedResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string;
}

export interface TemplateContext {
  /** Notebook session variables (secrets included). */
  variables: Record<string, string>;
  /** `@name = value` lines of the cell, already substituted. */
  fileVariables?: Record<string, string>;
  /** `@name = value` lines as written: substituted each time they are used (REST Client evaluates them
   *  lazily, so `@token = {{login.response.headers.X-AuthToken}}` sees the latest `login` response). */
  fileTemplates?: Record<string, string>;
  responses?: Map<string, NamedResponse>;
  /** For `{{$processEnv NAME}}` (default: this process's environment). */
  env?: NodeJS.ProcessEnv;
  /** Fixed clock for tests. */
  now?: () => Date;
}

export class TemplateError extends Error {
  constructor(message: string, readonly expression: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

export interface Substituted {
  text: string;
  /** The template offset of an offset in `text` (inside a substituted value: the start of its `{{`). */
  toSource(offset: number): number;
  /** Names of the variables used (session and file variables only). */
  used: string[];
}

const EXPR = /\{\{\s*([^{}]*?)\s*\}\}/g;

export function hasTemplate(text: string): boolean {
  return text.includes('{{');
}

/** Replaces every `{{...}}`; throws TemplateError for an unknown variable or a bad system variable. */
export function substitute(template: string, ctx: TemplateContext): Substituted {
  const spans: { out: number; outEnd: number; src: number; srcEnd: number }[] = [];
  const used: string[] = [];
  let text = '';
  let last = 0;
  for (const m of template.matchAll(EXPR)) {
    const value = resolve(m[1]!, ctx, used);
    text += template.slice(last, m.index);
    spans.push({ out: text.length, outEnd: text.length + value.length, src: m.index!, srcEnd: m.index! + m[0].length });
    text += value;
    last = m.index! + m[0].length;
  }
  text += template.slice(last);
  const toSource = (offset: number): number => {
    let delta = 0;
    for (const s of spans) {
      if (offset < s.out) break;
      if (offset < s.outEnd) return s.src;
      delta = s.srcEnd - s.outEnd;
    }
    return offset + delta;
  };
  return { text, toSource, used };
}

/** File variables being substituted (cycle detection; substitution is synchronous). */
const resolving = new Set<string>();

function resolve(expr: string, ctx: TemplateContext, used: string[]): string {
  if (expr.startsWith('$')) return systemVariable(expr, ctx);
  const ref = /^([\w-]+)\.(response|request)\.(body|headers)(?:\.(.*))?$/.exec(expr);
  if (ref && ctx.responses?.has(ref[1]!)) return requestVariable(ctx.responses.get(ref[1]!)!, ref, expr);
  if (ref && !(expr in ctx.variables) && !(expr in (ctx.fileVariables ?? {})) && !(expr in (ctx.fileTemplates ?? {}))) {
    throw new TemplateError(`{{${expr}}}: no request named "${ref[1]}" (# @name ${ref[1]}) has run in this session yet`, expr);
  }
  const file = ctx.fileVariables?.[expr];
  if (file !== undefined) {
    used.push(expr);
    return file;
  }
  const template = ctx.fileTemplates && Object.hasOwn(ctx.fileTemplates, expr) ? ctx.fileTemplates[expr] : undefined;
  if (template !== undefined) {
    if (resolving.has(expr)) throw new TemplateError(`{{${expr}}}: the file variable refers to itself (${[...resolving, expr].join(' → ')})`, expr);
    resolving.add(expr);
    try {
      const value = substitute(template, ctx).text;
      used.push(expr);
      return value;
    } finally {
      resolving.delete(expr);
    }
  }
  const value = ctx.variables[expr];
  const dotted = /^([\w-]+)((?:\.[A-Za-z_$][\w$]*|\[\d+\])+)$/.exec(expr);
  if (value === undefined && dotted && ctx.responses?.has(dotted[1]!)) {
    // httpYac's form: `{{login.token}}` is a property of login's JSON body (as `$.token`).
    const res = ctx.responses.get(dotted[1]!)!;
    return requestVariable(res, [expr, dotted[1]!, 'response', 'body', `$${dotted[2]}`] as unknown as RegExpExecArray, expr);
  }
  if (value === undefined) {
    throw new TemplateError(`{{${expr}}} has no value: no variable "${expr}" in this notebook session`, expr);
  }
  used.push(expr);
  return value;
}

function requestVariable(res: NamedResponse, ref: RegExpExecArray, expr: string): string {
  if (ref[2] === 'request') throw new TemplateError(`{{${expr}}}: only .response values can be referenced`, expr);
  const path = ref[4] ?? '*';
  if (ref[3] === 'headers') {
    const v = Object.hasOwn(res.headers, path.toLowerCase()) ? res.headers[path.toLowerCase()] : undefined;
    if (v === undefined) throw new TemplateError(`{{${expr}}}: the response of "${ref[1]}" has no header ${path}`, expr);
    return v;
  }
  if (path === '*') return res.body;
  if (!path.startsWith('$')) throw new TemplateError(`{{${expr}}}: only JSONPath ($.a.b[0]) or * is supported for bodies`, expr);
  let value: unknown;
  try {
    value = JSON.parse(res.body);
  } catch {
    throw new TemplateError(`{{${expr}}}: the response body of "${ref[1]}" is not JSON`, expr);
  }
  for (const key of path.slice(1).match(/[^.[\]]+/g) ?? []) {
    if (value === null || typeof value !== 'object') {
      value = undefined;
      break;
    }
    value = (value as Record<string, unknown>)[key.replace(/^['"]|['"]$/g, '')];
  }
  if (value === undefined) throw new TemplateError(`{{${expr}}}: ${path} is not in the response body of "${ref[1]}"`, expr);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

function systemVariable(expr: string, ctx: TemplateContext): string {
  const [name, ...args] = expr.split(/\s+/);
  const now = ctx.now?.() ?? new Date();
  switch (name) {
    case '$guid':
      return randomUUID();
    case '$timestamp':
      return String(Math.floor(offsetDate(now, args, expr).getTime() / 1000));
    case '$randomInt': {
      const [min, max] = args.map(Number);
      if (!Number.isInteger(min) || !Number.isInteger(max) || max! <= min!) {
        throw new TemplateError(`{{${expr}}}: expected {{$randomInt MIN MAX}} with integers MIN < MAX`, expr);
      }
      return String(randomInt(min!, max!));
    }
    case '$datetime':
    case '$localDatetime': {
      const [format = 'iso8601', ...rest] = args;
      const d = offsetDate(now, rest, expr);
      if (format === 'rfc1123') return d.toUTCString();
      if (format === 'iso8601') return name === '$datetime' ? d.toISOString() : localIso(d);
      throw new TemplateError(`{{${expr}}}: supported formats are rfc1123 and iso8601`, expr);
    }
    case '$processEnv': {
      let envName = args[0] ?? '';
      if (envName.startsWith('%')) envName = ctx.variables[envName.slice(1)] ?? '';
      const value = (ctx.env ?? process.env)[envName];
      if (!envName || value === undefined) {
        throw new TemplateError(`{{${expr}}}: environment variable ${envName || '(none given)'} is not set`, expr);
      }
      return value;
    }
    default:
      throw new TemplateError(`{{${expr}}}: unknown system variable ${name} (supported: $guid, $timestamp, $datetime, $localDatetime, $randomInt, $processEnv)`, expr);
  }
}

/** `$timestamp -1 d` style offsets. */
function offsetDate(now: Date, args: string[], expr: string): Date {
  if (!args.length) return now;
  const amount = Number(args[0]);
  const unit = args[1] ?? '';
  if (unit === 'y' || unit === 'M') {
    const d = new Date(now);
    if (unit === 'y') d.setUTCFullYear(d.getUTCFullYear() + amount);
    else d.setUTCMonth(d.getUTCMonth() + amount);
    return d;
  }
  if (!Number.isFinite(amount) || !(unit in UNIT_MS)) {
    throw new TemplateError(`{{${expr}}}: expected an offset such as "-1 d" (units y M w d h m s ms)`, expr);
  }
  return new Date(now.getTime() + amount * UNIT_MS[unit]!);
}

function localIso(d: Date): string {
  const off = -d.getTimezoneOffset();
  const pad = (x: number, n = 2): string => String(Math.abs(x)).padStart(n, '0');
  const sign = off >= 0 ? '+' : '-';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` +
    `.${pad(d.getMilliseconds(), 3)}${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}
