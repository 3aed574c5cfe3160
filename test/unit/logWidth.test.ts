// The execution log reads on GitHub without horizontal scrolling (issue 13 §1): the record is rendered the
// way GitHub renders markdown (GFM tables, HTML comments hidden) and the table's narrowest possible width —
// each column as wide as its longest piece that cannot wrap — must fit GitHub's content column.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import MarkdownIt from 'markdown-it';
import { renderLogRowV1, V1_HEADER, V1_SEPARATOR } from '../../src/core/format/executionLogSection.js';
import { parseRunbook, serializeRunbook, type LogRow } from '../../src/core/format/index.js';
import { appendRow, digestOf, type NewLogRow } from '../../src/core/log/chain.js';
import { appendLogRows } from '../../src/core/run/documentRunner.js';

/** GitHub's markdown body is about 830 px wide; table cells have 13 px padding each side; ~7.5 px a character. */
const CONTENT_PX = 830;
const CELL_PADDING_PX = 26;
const CHAR_PX = 7.5;

function rows(): NewLogRow[] {
  const target = 'deploy@cvd-prod.example.com:22';
  const base = { operator: 'alice', target, exit: 0, ms: 412, digest: digestOf('x', 'y') };
  return [
    { ...base, time: '2026-11-23T05:13:04.123Z', cell: 'initial-assessment', event: 'run' },
    { ...base, time: '2026-11-23T05:14:10.000Z', cell: 'immediate-stabilization', event: 'confirm', exit: null, ms: null,
      detail: 'destructive: systemctl restart cvd (restarts a service); the operator answered yes for deploy@cvd-prod.example.com:22' },
    { ...base, time: '2026-11-23T05:15:00.000Z', cell: 'immediate-stabilization', event: 'timeout', exit: null, ms: 1_800_000,
      detail: 'timed out after 30 min; the processes of the cell were stopped' },
    { ...base, time: '2026-11-23T05:20:00Z', cell: '', target: '', event: 'note:decision', exit: null, ms: null,
      detail: 'Fail over to the replica; the primary is corrupt. Paging the database on-call (Bob) and opening a status page incident.' },
  ];
}

/** The visible text of each cell of the log table, rendered as GitHub does (comments hidden). */
function renderedLogTable(record: string): string[][] {
  const html = new MarkdownIt({ html: true }).render(record).replace(/<!--[\s\S]*?-->/g, '');
  const table = [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].pop()![1]!;
  const decode = (s: string): string => s.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&').trim();
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((tr) => [...tr[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => decode(c[1]!)));
}

/** Narrowest width of a table in px: per column, the longest piece a browser cannot wrap (breaks at spaces and after hyphens). */
function minWidthPx(table: string[][]): number {
  const cols = Math.max(...table.map((r) => r.length));
  let px = 0;
  for (let c = 0; c < cols; c++) {
    const longest = Math.max(...table.map((r) => Math.max(0, ...(r[c] ?? '').split(/\s+|(?<=-)/).map((w) => [...w].length))));
    px += longest * CHAR_PX + CELL_PADDING_PX;
  }
  return px;
}

describe('the execution log on GitHub', () => {
  it('fits GitHub\'s column (the old 11-column table did not), shows the facts and hides the hashes', () => {
    const doc = parseRunbook('# Disk full\n');
    appendLogRows(doc, rows());
    const record = serializeRunbook(doc);
    const table = renderedLogTable(record);
    assert.equal(table.length, 5, 'header and four rows');
    const width = minWidthPx(table);
    assert.ok(width > 300 && width <= CONTENT_PX, `the log needs at least ${width} px, GitHub gives ${CONTENT_PX}`);
    const visible = table.flat().join(' ');
    assert.doesNotMatch(visible, /[0-9a-f]{16}/, 'no hash in view');
    for (const fact of ['initial-assessment', '✓ exit 0 · 412 ms', 'alice → deploy@cvd-prod.example.com:22', 'Fail over to the replica', 'timeout · 1800000 ms']) {
      assert.ok(visible.includes(fact), `"${fact}" is visible`);
    }

    // The same rows in the previous format need a horizontal scroll bar.
    const old: LogRow[] = [];
    for (const r of rows()) appendRow(old, r);
    const oldRecord = ['# Disk full', '', '<!-- runbook:log -->', '## Execution log', '', V1_HEADER, V1_SEPARATOR,
      ...old.map(renderLogRowV1), '<!-- /runbook:log -->', ''].join('\n');
    assert.ok(minWidthPx(renderedLogTable(oldRecord)) > CONTENT_PX, 'the old table was too wide (the measure is meaningful)');
  });

  it('a record in the previous format still opens and round-trips byte for byte', () => {
    const old: LogRow[] = [];
    for (const r of rows()) appendRow(old, r);
    const text = ['# t', '', '<!-- runbook:log -->', '## Execution log', '', V1_HEADER, V1_SEPARATOR, ...old.map(renderLogRowV1),
      '<!-- /runbook:log -->', ''].join('\n');
    const doc = parseRunbook(text);
    assert.equal(doc.log?.rows.length, 4);
    assert.equal(serializeRunbook(doc), text);
  });
});
