// Where each attribute sits in a fence info string, for exact diagnostic ranges, completion and edits.
// Reads the same two forms as the format's parseInfo: `{k=v k2="v 2"}` and `{"k":"v"}`.

export interface AttributeSpan {
  key: string;
  /** The value as written, quotes removed. */
  value: string;
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
}

export interface BraceSpan {
  /** Offset of `{` and of the character after `}` in the info string. */
  open: number;
  close: number;
  json: boolean;
}

const PAIR = /([A-Za-z_][\w.-]*)\s*=\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^\s}]*)/g;
const JSON_PAIR = /"((?:[^"\\]|\\.)*)"\s*:\s*("(?:[^"\\]|\\.)*"|[^,}\s]+)/g;

/** The `{...}` attribute block of an info string, if any. */
export function braceOf(info: string): BraceSpan | undefined {
  const open = info.indexOf('{');
  if (open === -1) return undefined;
  const trimmedEnd = info.trimEnd().length;
  if (info[trimmedEnd - 1] !== '}') return undefined;
  const json = /^\{\s*("|\})/.test(info.slice(open, trimmedEnd));
  return { open, close: trimmedEnd, json };
}

export function attributeSpans(info: string): AttributeSpan[] {
  const brace = braceOf(info);
  if (!brace) return [];
  const body = info.slice(brace.open + 1, brace.close - 1);
  const base = brace.open + 1;
  const out: AttributeSpan[] = [];
  for (const m of body.matchAll(brace.json ? JSON_PAIR : PAIR)) {
    const key = m[1]!;
    const raw = m[2]!;
    const keyStart = base + m.index! + (brace.json ? 1 : 0);
    const valueStart = base + m.index! + m[0].length - raw.length;
    out.push({ key, value: unquote(raw), keyStart, keyEnd: keyStart + key.length, valueStart, valueEnd: valueStart + raw.length });
  }
  return out;
}

export function attributeSpan(info: string, key: string): AttributeSpan | undefined {
  return attributeSpans(info).find((s) => s.key === key);
}

function unquote(v: string): string {
  if (v.startsWith('"')) {
    try { return JSON.parse(v) as string; } catch { return v.slice(1, -1); }
  }
  if (v.startsWith("'")) return v.slice(1, -1);
  return v;
}

/** The whole info string when an attribute cannot be located (e.g. attributes edited in a notebook). */
export function wholeInfo(info: string): { start: number; end: number } {
  const start = info.length - info.trimStart().length;
  return { start, end: Math.max(start + 1, info.trimEnd().length) };
}
