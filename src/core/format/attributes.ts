// Fence info strings: "bash {name=check-disk host=cvd-prod timeout=30s}" (Runme style) or
// 'bash {"name":"check-disk"}' (JSON). Unknown keys are kept; values of the k=v form stay strings.
import type { Attributes, AttributeValue } from './model.js';

export interface ParsedInfo {
  lang: string;
  attributes: Attributes;
  json: boolean;
}

const PAIR = /([A-Za-z_][\w.-]*)\s*=\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^\s}]*)/g;

export function parseInfo(info: string): ParsedInfo {
  const trimmed = info.trim();
  const brace = trimmed.indexOf('{');
  const lang = (brace === -1 ? trimmed : trimmed.slice(0, brace)).split(/\s+/)[0] ?? '';
  if (brace === -1 || !trimmed.endsWith('}')) return { lang, attributes: {}, json: false };
  const body = trimmed.slice(brace);
  if (/^\{\s*("|\})/.test(body)) {
    try {
      const value: unknown = JSON.parse(body);
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        return { lang, attributes: onlyScalars(value as Record<string, unknown>), json: true };
      }
    } catch {
      // not JSON: fall through to the k=v form
    }
  }
  const attributes: Attributes = {};
  for (const m of body.slice(1, -1).matchAll(PAIR)) {
    attributes[m[1]!] = unquote(m[2]!);
  }
  return { lang, attributes, json: false };
}

function unquote(v: string): string {
  if (v.startsWith('"')) {
    try { return JSON.parse(v) as string; } catch { return v.slice(1, -1); }
  }
  if (v.startsWith("'")) return v.slice(1, -1);
  return v;
}

function onlyScalars(obj: Record<string, unknown>): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(obj)) {
    out[k] = v === null || ['string', 'number', 'boolean'].includes(typeof v) ? (v as AttributeValue) : JSON.stringify(v);
  }
  return out;
}

/** Renders an info string for a language and attributes, in the JSON form when `json` is set. */
export function renderInfo(lang: string, attributes: Attributes, json = false): string {
  const keys = Object.keys(attributes);
  if (!keys.length) return lang;
  if (json) return `${lang} ${JSON.stringify(attributes)}`.trim();
  const pairs = keys.map((k) => `${k}=${renderValue(attributes[k]!)}`);
  return `${lang} {${pairs.join(' ')}}`.trim();
}

function renderValue(v: AttributeValue): string {
  const s = String(v);
  return s === '' || /[\s{}"'=]/.test(s) ? JSON.stringify(s) : s;
}

export function sameAttributes(a: Attributes, b: Attributes): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && a[k] === b[k]);
}
