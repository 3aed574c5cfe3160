// Which fences are code cells, as commonmark.js (the spec's reference implementation, the algorithm of GitHub's
// cmark-gfm) and as our parser see them: shared by commonmark.test.ts and formatNearMiss.test.ts.
import assert from 'node:assert/strict';
import * as commonmark from 'commonmark';
import { parseRunbook, type CodeCell } from '../../src/core/format/index.js';

export interface Fence {
  line: number;
  content: string;
}

const reference = new commonmark.Parser();

/** Fenced code blocks commonmark.js finds outside block quotes: first line and content. */
export function referenceFences(text: string): Fence[] {
  const out: Fence[] = [];
  const walker = reference.parse(text).walker();
  for (let e = walker.next(); e; e = walker.next()) {
    const node = e.node;
    if (!e.entering || node.type !== 'code_block' || !(node as unknown as { _isFenced: boolean })._isFenced) continue;
    let quoted = false;
    for (let p = node.parent; p; p = p.parent) if (p.type === 'block_quote') quoted = true;
    if (!quoted) out.push({ line: node.sourcepos[0][0] - 1, content: node.literal ?? '' });
  }
  return out;
}

/** Our code cells as fences: first line (in the text) and content in the oracles' form (a "\n" per line). */
export function ourFences(text: string): (Fence & { open: boolean })[] {
  return parseRunbook(text).cells.filter((c): c is CodeCell => c.kind === 'code')
    .map((c) => ({ line: c.range!.start, content: c.source === '' && c.range!.end - c.range!.start <= 2 ? '' : c.source + '\n', open: c.fence.close === null }));
}

/** An unclosed fence leaves its trailing blank lines to the gap after the cell: compare without them. */
export function sameFences(ours: (Fence & { open: boolean })[], theirs: Fence[]): boolean {
  const trim = (s: string): string => s.replace(/(?:^|\n)(?:[ \t]*\n)*$/, '');
  return ours.length === theirs.length && ours.every((o, i) => o.line === theirs[i]!.line
    && (o.open ? trim(o.content) === trim(theirs[i]!.content) : o.content === theirs[i]!.content));
}

/** Asserts that our code cells in `text` are the fences commonmark.js finds (`theirs`, when already read). */
export function assertSameFences(text: string, theirs: Fence[] = referenceFences(text)): void {
  const ours = ourFences(text);
  assert.ok(sameFences(ours, theirs), `cells of ${JSON.stringify(text)}:\n  ours:          ${JSON.stringify(ours)}\n  commonmark.js: ${JSON.stringify(theirs)}`);
}
