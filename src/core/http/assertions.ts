// httpYac's response assertions (`?? status == 200`, `?? header content-type includes json`,
// `?? body $.status == ok`, `?? duration < 500`), checked after each response: one failing fails the cell.
import type { HttpAssertion } from './parse.js';
import type { ReceivedResponse } from './send.js';
import { substitute, type TemplateContext } from './variables.js';

export interface AssertionResult {
  ok: boolean;
  /** `✓ status == 200` or `✗ status == 200 (got 503)`. */
  line: string;
}

export function checkAssertions(list: readonly HttpAssertion[], res: ReceivedResponse, durationMs: number, ctx: TemplateContext): AssertionResult[] {
  return list.map((a) => {
    let actual: unknown;
    let expected: string | undefined;
    try {
      expected = a.expected === undefined ? undefined : substitute(a.expected, ctx).text;
      actual = subjectValue(a, res, durationMs);
    } catch (e) {
      return { ok: false, line: `✗ ${a.text.replace(/^\?\?\s*/, '')} (${(e as Error).message})` };
    }
    const ok = compare(actual, a.operator, expected);
    const shown = typeof actual === 'string' ? actual : JSON.stringify(actual);
    const what = a.text.replace(/^\?\?\s*/, '');
    return { ok, line: ok ? `✓ ${what}` : `✗ ${what} (got ${shown === undefined ? 'nothing' : clip(shown)})` };
  });
}

function clip(s: string): string {
  return s.length > 120 ? `${s.slice(0, 117)}…` : s;
}

function subjectValue(a: HttpAssertion, res: ReceivedResponse, durationMs: number): unknown {
  switch (a.subject) {
    case 'status': return res.status;
    case 'duration': return durationMs;
    case 'header': {
      const values = res.headers.filter(([k]) => k === a.path!.toLowerCase()).map(([, v]) => v);
      return values.length ? values.join(', ') : undefined;
    }
    case 'body': {
      const text = res.body.toString('utf8');
      if (!a.path) return text;
      if (!a.path.startsWith('$')) throw new Error(`${a.path}: only JSONPath ($.a.b[0]) selects into the body`);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new Error('the body is not JSON');
      }
      for (const key of a.path.slice(1).match(/[^.[\]]+/g) ?? []) {
        if (value === null || typeof value !== 'object') return undefined;
        const k = key.replace(/^['"]|['"]$/g, '');
        value = Object.hasOwn(value, k) ? (value as Record<string, unknown>)[k] : undefined;
      }
      return value;
    }
  }
}

function compare(actual: unknown, op: string, expectedText: string | undefined): boolean {
  const exp = expectedText ?? '';
  const asText = actual === undefined ? '' : typeof actual === 'string' ? actual : JSON.stringify(actual);
  const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
  const equal = (): boolean => {
    if (typeof actual === 'number' || typeof actual === 'boolean' || actual === null) return asText === exp.replace(/^"(.*)"$/, '$1') || asText === exp;
    return asText === exp || asText === exp.replace(/^"(.*)"$/, '$1');
  };
  switch (op) {
    case '==': return equal();
    case '!=': return !equal();
    case '<': return num(actual) < Number(exp);
    case '<=': return num(actual) <= Number(exp);
    case '>': return num(actual) > Number(exp);
    case '>=': return num(actual) >= Number(exp);
    case 'startsWith': return asText.startsWith(exp);
    case 'endsWith': return asText.endsWith(exp);
    case 'includes':
    case 'contains': return asText.includes(exp);
    case 'matches': {
      const m = /^\/(.*)\/([a-z]*)$/.exec(exp);
      return new RegExp(m ? m[1]! : exp, m ? m[2] : '').test(asText);
    }
    case 'exists': return actual !== undefined;
    case 'isTrue': return actual === true || asText === 'true';
    case 'isFalse': return actual === false || asText === 'false';
    case 'isNumber': return typeof actual === 'number';
    case 'isString': return typeof actual === 'string';
    case 'isBoolean': return typeof actual === 'boolean';
    case 'isArray': return Array.isArray(actual);
    default: return false;
  }
}
