// The visible caption of an output block (DESIGN §1, docs/DESIGN-NOTES.md "Output captions"). GitHub hides
// the HTML comment that carries the metadata, so a reader who never opens VS Code learns from this line
// how the step went: status, exit code, stream, target, start time and duration. Derived from the metadata
// every time a block is written; a block read from a file keeps its caption as written.
import { formatDuration } from '../util/duration.js';
import type { OutputMeta } from './model.js';

export interface CaptionParts {
  /** Exit 0 (✓); false for any other exit or none (✗); undefined when the metadata has no exit at all. */
  ok?: boolean;
  /** "✓ exit 0", "✗ failed · exit 1", "✗ no exit code". */
  status?: string;
  /** What kind of text this is, when not plain stdout: "stderr", "HTTP 503". */
  labels: string[];
  /** Where it ran, shown as code (it may hold characters markdown would read). */
  target?: string;
  /** When it started (UTC) and how long it took. */
  when: string[];
}

export function captionParts(meta: OutputMeta): CaptionParts | undefined {
  const parts: CaptionParts = { labels: [], when: [] };
  if ('exit' in meta) {
    parts.ok = meta.exit === 0;
    parts.status = parts.ok ? '✓ exit 0' : typeof meta.exit === 'number' ? `✗ failed · exit ${meta.exit}` : '✗ no exit code';
  }
  if (meta.stream === 'stderr') parts.labels.push('stderr');
  if (meta.kind === 'http' && typeof meta.status === 'number') parts.labels.push(`HTTP ${meta.status}`);
  const name = typeof meta.target === 'string' && meta.target ? meta.target : undefined;
  const host = typeof meta.host === 'string' && meta.host ? meta.host : undefined;
  if (name || host) parts.target = name && host && name !== host ? `${name} (${host})` : (name ?? host);
  const time = typeof meta.started === 'string' ? utcTime(meta.started) : undefined;
  if (time) parts.when.push(time);
  if (typeof meta.ms === 'number' && Number.isFinite(meta.ms) && meta.ms >= 0) parts.when.push(formatDuration(meta.ms));
  if (parts.status === undefined && parts.target === undefined && !parts.when.length) return undefined;
  return parts;
}

/** "2026-11-23T05:13:04.123Z" → "2026-11-23 05:13:04 UTC"; undefined when it is not a time. */
function utcTime(iso: string): string | undefined {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return undefined;
  return d.toISOString().slice(0, 19).replace('T', ' ') + ' UTC';
}

/** The caption as one markdown line (a paragraph above the output's code block); a failure in bold. */
export function markdownCaption(p: CaptionParts): string {
  const items: string[] = [];
  if (p.status) items.push(p.ok ? p.status : `**${p.status}**`);
  items.push(...p.labels.map(escapeMarkdown));
  if (p.target !== undefined) items.push(codeSpan(p.target));
  items.push(...p.when.map(escapeMarkdown));
  return items.join(' · ');
}

/** The caption as HTML for a `<summary>` (GitHub reads no markdown there); `extra` is appended ("240 lines"). */
export function htmlCaption(p: CaptionParts, extra?: string): string {
  const items: string[] = [];
  if (p.status) items.push(p.ok ? escapeHtml(p.status) : `<b>${escapeHtml(p.status)}</b>`);
  items.push(...p.labels.map(escapeHtml));
  if (p.target !== undefined) items.push(`<code>${escapeHtml(p.target)}</code>`);
  items.push(...p.when.map(escapeHtml));
  if (extra) items.push(escapeHtml(extra));
  return items.join(' · ');
}

function codeSpan(text: string): string {
  const clean = text.replace(/[\r\n]+/g, ' ');
  let longest = 0;
  for (const m of clean.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const ticks = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${clean}${pad}${ticks}`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[\\`*_[\]<>&#|~]/g, (c) => `\\${c}`);
}

function escapeHtml(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
