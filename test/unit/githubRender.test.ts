// Issue 13.1, the outputs: a record rendered the way GitHub renders a markdown file (markdown-it with HTML and
// tables; HTML comments stripped, as GitHub's sanitizer does) shows for every output its status (✓/✗), exit
// code, target, start time and duration; a failure is bold; long outputs fold under that caption; an output
// of a step in a numbered list stays in its list item. Chromium then shows the page with GitHub-like CSS
// (test-results/github-record.png) and the test checks what is on screen.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import MarkdownIt from 'markdown-it';
import { chromium } from 'playwright-core';
import { parseRunbook, serializeRunbook, type CellOutput, type CodeCell } from '../../src/core/format/index.js';
import { repoRoot } from './helpers.js';

const RUNBOOK = `---
title: API latency incident
incident: { id: API-20261123-0512, severity: P1, status: open, started: 2026-11-23T05:12:00Z, commander: alice }
---
# API latency

1. Check the load on the API hosts:
   \`\`\`bash {name=load host=api-prod}
   uptime
   \`\`\`
   Then look at the slow requests:
   \`\`\`bash {name=slow host=api-prod}
   tail -n 200 /var/log/nginx/access.log | awk '$NF > 1.0'
   \`\`\`
2. Restart the workers:
   \`\`\`bash {name=restart host=api-prod confirm=true}
   sudo systemctl restart api-workers
   \`\`\`
3. Confirm the latency is back to normal.

## Logs

\`\`\`bash {name=logs}
journalctl -u api --since "10 min ago" --no-pager
\`\`\`

\`\`\`bash {name=migrate host=db-1}
./migrate.sh --check
\`\`\`

\`\`\`promql {name=latency-1h db=prom range=1h step=1m}
histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))
\`\`\`
`;

const at = (cell: string, target: string, host: string, started: string, ms: number, exit: number | null, extra: Partial<CellOutput['meta']> = {}): CellOutput['meta'] =>
  ({ cell, target, host, user: host.split('@')[0], started, ms, exit, ...extra });

const lines = (n: number, f: (k: number) => string): string => Array.from({ length: n }, (_, k) => f(k + 1)).join('\n') + '\n';

/** The record after a few runs: success, failure on stderr, a cancelled run, a long success, a long failure. */
function record(): string {
  const doc = parseRunbook(RUNBOOK);
  const cell = (name: string): CodeCell => doc.cells.find((c): c is CodeCell => c.kind === 'code' && c.attributes.name === name)!;
  cell('load').outputs.push({ meta: at('load', 'api-prod', 'deploy@10.0.0.7:22', '2026-11-23T05:13:04.120Z', 412, 0, { stream: 'stdout' }),
    text: ' 05:13:04 up 41 days,  3:02,  1 user,  load average: 7.91, 6.40, 5.12\n' });
  cell('slow').outputs.push({ meta: at('slow', 'api-prod', 'deploy@10.0.0.7:22', '2026-11-23T05:14:10Z', 95, 2, { stream: 'stderr' }),
    text: 'awk: cannot open /var/log/nginx/access.log (Permission denied)\n' });
  cell('restart').outputs.push({ meta: at('restart', 'api-prod', 'deploy@10.0.0.7:22', '2026-11-23T05:15:00Z', 30000, null, { stream: 'stderr', kind: 'notice' }),
    text: '[runbook] cancelled after 30.0 s\n' });
  cell('logs').outputs.push({ meta: at('logs', 'local', 'alice@vm', '2026-11-23T05:16:30Z', 1830, 0, { stream: 'stdout' }),
    text: lines(60, (k) => `Nov 23 05:${String(k % 60).padStart(2, '0')}:00 api[812]: GET /v1/orders 200 ${k * 7} ms`) });
  cell('migrate').outputs.push({ meta: at('migrate', 'db-1', 'postgres@10.0.0.9:22', '2026-11-23T05:18:02Z', 125000, 1, { stream: 'stderr' }),
    text: lines(30, (k) => `migration ${k}: ${k === 30 ? 'ERROR: relation "orders_v2" already exists' : 'ok'}`) });
  cell('latency-1h').outputs.push({ meta: at('latency-1h', 'local', 'alice@vm', '2026-11-23T05:19:00Z', 48, 0, { kind: 'promql', db: 'prom', chart: 'API-20261123-0512.runbook/latency-1h.svg' }),
    text: '1 series · 2026-11-23T04:19:00Z → 2026-11-23T05:19:00Z, step 60s · 12 ms\n\n| series | samples | min | max | last |\n|---|--:|--:|--:|--:|\n| {} | 61 | 0.12 | 1.9 | 0.31 |\n',
    lang: 'markdown', image: { alt: 'latency-1h: histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))', src: 'API-20261123-0512.runbook/latency-1h.svg' } });
  return serializeRunbook(doc);
}

const github = new MarkdownIt({ html: true });

/** HTML of the record as GitHub shows it: front matter as a table is left out, comments are stripped. */
function renderLikeGitHub(text: string): string {
  const body = text.replace(/^---\n[\s\S]*?\n---\n/, '');
  return github.render(body).replace(/<!--[\s\S]*?-->/g, '');
}

function visibleText(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ');
}

const CAPTIONS: [string, string[]][] = [
  ['load', ['✓ exit 0', 'api-prod (deploy@10.0.0.7:22)', '2026-11-23 05:13:04 UTC', '412 ms']],
  ['slow', ['✗ failed', 'exit 2', 'stderr', 'api-prod (deploy@10.0.0.7:22)', '2026-11-23 05:14:10 UTC', '95 ms']],
  ['restart', ['✗ no exit code', 'stderr', 'api-prod (deploy@10.0.0.7:22)', '2026-11-23 05:15:00 UTC', '30.0 s']],
  ['logs', ['✓ exit 0', 'local (alice@vm)', '2026-11-23 05:16:30 UTC', '1.8 s', '60 lines']],
  ['migrate', ['✗ failed', 'exit 1', 'stderr', 'db-1 (postgres@10.0.0.9:22)', '2026-11-23 05:18:02 UTC', '2 min 05 s', '30 lines']],
  ['latency-1h', ['✓ exit 0', 'local (alice@vm)', '2026-11-23 05:19:00 UTC', '48 ms']],
];

describe('a record on GitHub', () => {
  const text = record();
  const html = renderLikeGitHub(text);
  const visible = visibleText(html);

  it('shows status, exit code, target, time and duration for every output, and no metadata', () => {
    for (const [cell, parts] of CAPTIONS) {
      const caption = parts.join(' · ');
      assert.ok(visible.includes(caption), `the caption of ${cell} is visible: ${caption}\n--- visible text ---\n${visible}`);
    }
    assert.doesNotMatch(visible, /runbook:output|"exit"|"started"/);
  });

  it('makes failures stand out (bold) and successes plain', () => {
    assert.match(html, /<strong>✗ failed · exit 2<\/strong> · stderr · <code>api-prod \(deploy@10\.0\.0\.7:22\)<\/code>/);
    assert.match(html, /<strong>✗ no exit code<\/strong>/);
    assert.match(html, /<summary><b>✗ failed · exit 1<\/b> · stderr · /);
    assert.match(html, /<p>✓ exit 0 · <code>api-prod/);
  });

  it('folds long outputs under their caption and shows short ones', () => {
    assert.equal((html.match(/<details>/g) ?? []).length, 2);
    assert.match(html, /<details><summary>✓ exit 0 · <code>local \(alice@vm\)<\/code> · 2026-11-23 05:16:30 UTC · 1\.8 s · 60 lines<\/summary>\n<pre><code class="language-text">Nov 23/);
    assert.match(html, /<pre><code class="language-text"> 05:13:04 up 41 days/);
  });

  it('keeps an output inside the list item of its step, and the next step in the same item', () => {
    const tokens = github.parse(text.replace(/^---\n[\s\S]*?\n---\n/, ''), {});
    const items: string[][] = [];
    let depth = 0;
    for (const t of tokens) {
      if (t.type === 'list_item_open' && depth++ === 0) items.push([]);
      else if (t.type === 'list_item_close') depth--;
      else if (depth > 0) items[items.length - 1]!.push(t.type === 'fence' ? `fence:${t.content.split('\n')[0]}` : t.type);
    }
    assert.equal(items.length, 3, 'one list of three steps');
    const first = items[0]!.filter((x) => x.startsWith('fence:'));
    assert.deepEqual(first, ['fence:uptime', 'fence: 05:13:04 up 41 days,  3:02,  1 user,  load average: 7.91, 6.40, 5.12',
      "fence:tail -n 200 /var/log/nginx/access.log | awk '$NF > 1.0'", 'fence:awk: cannot open /var/log/nginx/access.log (Permission denied)']);
  });

  it('shows a PromQL chart as a picture under its output (not as link text in the code block)', () => {
    const img = /<p><img src="API-20261123-0512\.runbook\/latency-1h\.svg" alt="latency-1h: histogram_quantile\(0\.99, sum by \(le\) \(rate\(http_request_duration_seconds_bucket 5m \)\)\)"><\/p>/;
    assert.match(html, img);
    // After the output's code block, before whatever follows it.
    const at = html.search(img);
    assert.ok(html.lastIndexOf('| {} | 61 | 0.12 | 1.9 | 0.31 |', at) > html.lastIndexOf('<pre>', at), 'the image follows its table');
    assert.doesNotMatch(visible, /!\[latency-1h/, 'no markdown image syntax is shown as text');
  });

  it('reads back: the same cells, outputs and bytes', () => {
    const doc = parseRunbook(text);
    assert.equal(serializeRunbook(doc), text);
    const codes = doc.cells.filter((c): c is CodeCell => c.kind === 'code');
    assert.deepEqual(codes.map((c) => c.outputs.length), [1, 1, 1, 1, 1, 1]);
    assert.deepEqual(codes[5]!.outputs[0]!.image, { alt: 'latency-1h: histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket 5m )))', src: 'API-20261123-0512.runbook/latency-1h.svg' });
    assert.equal(codes[3]!.outputs[0]!.text.split('\n').length, 61);
  });

  it('looks right in Chromium with GitHub-like CSS (test-results/github-record.png)', async () => {
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1012, height: 900 } });
      await page.setContent(`<!doctype html><html><head><meta charset="utf-8"><style>${GITHUB_CSS}</style></head>
        <body><article class="markdown-body">${html}</article></body></html>`);
      const dir = join(repoRoot, 'test-results');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, 'github-record.png');
      await page.screenshot({ path: file, fullPage: true });
      // What is on screen: captions as text, a failure heavier than a success, folded outputs closed.
      const seen = await page.evaluate(`(() => {
        const text = document.body.innerText;
        const weight = (re) => {
          const el = [...document.querySelectorAll('p, summary, strong, b')].find((e) => re.test(e.textContent) && e.getBoundingClientRect().height > 0);
          return el ? Number(getComputedStyle(el.matches('strong, b') ? el : (el.querySelector('strong, b') || el)).fontWeight) : 0;
        };
        const folded = [...document.querySelectorAll('details')].map((d) => ({
          open: d.open, summary: d.querySelector('summary').getBoundingClientRect().height, pre: d.querySelector('pre').getBoundingClientRect().height,
        }));
        const firstStep = document.querySelector('ol > li').innerText;
        const chart = [...document.querySelectorAll('img')].map((i) => ({ src: i.getAttribute('src'), inPre: !!i.closest('pre, code, details'), height: i.getBoundingClientRect().height }));
        return { text, failWeight: weight(/✗ failed · exit 2/), okWeight: weight(/^✓ exit 0/), folded, firstStep, chart };
      })()`) as { text: string; failWeight: number; okWeight: number; folded: { open: boolean; summary: number; pre: number }[]; firstStep: string;
        chart: { src: string; inPre: boolean; height: number }[] };
      assert.deepEqual(seen.chart.map((c) => [c.src, c.inPre]), [['API-20261123-0512.runbook/latency-1h.svg', false]], 'one chart image, outside any code block');
      for (const [cell, parts] of CAPTIONS) assert.ok(seen.text.includes(parts.join(' · ')), `on screen: the caption of ${cell}`);
      assert.ok(seen.failWeight >= 600 && seen.okWeight < 600, `failure bold (${seen.failWeight}), success plain (${seen.okWeight})`);
      assert.deepEqual(seen.folded.map((d) => [d.open, d.summary > 10, d.pre]), [[false, true, 0], [false, true, 0]]);
      assert.match(seen.firstStep, /uptime[\s\S]*✓ exit 0[\s\S]*load average[\s\S]*Then look at the slow requests[\s\S]*✗ failed · exit 2/);
    } finally {
      await browser.close();
    }
  });
});

// The parts of GitHub's markdown CSS (github-markdown-css, light theme) that decide how a record looks.
const GITHUB_CSS = `
body { margin: 0; background: #fff; }
.markdown-body { box-sizing: border-box; max-width: 980px; margin: 0 auto; padding: 32px; color: #1f2328; background: #fff;
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; font-size: 16px; line-height: 1.5; word-wrap: break-word; }
.markdown-body h1, .markdown-body h2 { margin: 24px 0 16px; font-weight: 600; line-height: 1.25; padding-bottom: .3em; border-bottom: 1px solid #d1d9e0b3; }
.markdown-body h1 { font-size: 2em; } .markdown-body h2 { font-size: 1.5em; }
.markdown-body p, .markdown-body pre, .markdown-body details, .markdown-body ol, .markdown-body ul { margin-top: 0; margin-bottom: 16px; }
.markdown-body ol, .markdown-body ul { padding-left: 2em; }
.markdown-body li + li { margin-top: .25em; }
.markdown-body strong, .markdown-body b { font-weight: 600; }
.markdown-body code { padding: .2em .4em; margin: 0; font-size: 85%; white-space: break-spaces; background-color: #818b981f; border-radius: 6px;
  font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; }
.markdown-body pre { padding: 16px; overflow: auto; font-size: 85%; line-height: 1.45; color: #1f2328; background-color: #f6f8fa; border-radius: 6px; }
.markdown-body pre code { padding: 0; margin: 0; font-size: 100%; white-space: pre; background: transparent; border: 0; }
.markdown-body summary { cursor: pointer; display: list-item; }
.markdown-body details:not([open]) > *:not(summary) { display: none !important; }
`;
