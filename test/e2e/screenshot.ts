// Opens a runbook the way a person does (Ctrl+P, type its name, Enter), checks what the notebook editor
// shows, and saves a screenshot.
import type { Page } from 'playwright-core';
import type { ExpectedCell } from './protocol.js';
import { openFromQuickOpen } from './runCheck.js';

export interface ScreenshotOptions {
  /** File name in the workspace, typed into quick open. */
  fileName: string;
  /** The core parser's cells of that file. */
  expected: ExpectedCell[];
  /** PNG path. */
  out: string;
}

const norm = (s: string) => s.replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();

/** What the visible notebook editor shows. The workbench keeps 0-height placeholders and pooled editors. */
interface Shown {
  /** The cell list's bounding box. */
  box: { x: number; y: number; width: number; height: number };
  rows: number;
  markdownRows: number;
  codeRows: number;
  codeTexts: string[];
}

// Browser-side code is passed as strings: tsx would wrap functions in helpers the page does not have, and
// the project's TypeScript settings have no DOM types.
const SHOWN_JS = `(() => {
  const editors = [...document.querySelectorAll('.notebook-editor')].filter((e) => {
    const r = e.getBoundingClientRect();
    return r.height > 0 && r.width > 0 && e.querySelector('.cell-list-container');
  });
  const e = editors[0];
  if (!e) return null;
  const b = e.querySelector('.cell-list-container').getBoundingClientRect();
  return {
    box: { x: b.x, y: b.y, width: b.width, height: b.height },
    rows: e.querySelectorAll('.cell-list-container .monaco-list-row').length,
    markdownRows: e.querySelectorAll('.monaco-list-row.markdown-cell-row').length,
    codeRows: e.querySelectorAll('.monaco-list-row.code-cell-row').length,
    codeTexts: [...e.querySelectorAll('.monaco-list-row.code-cell-row .view-lines')].map((v) => v.textContent || ''),
  };
})()`;

const cellTopJs = (probe: string) => `(() => {
  const norm = (s) => s.replace(/\\u00a0/g, ' ').replace(/\\s+/g, ' ').trim();
  const rows = [...document.querySelectorAll('.monaco-list-row.code-cell-row')];
  const r = rows.find((x) => norm(x.querySelector('.view-lines')?.textContent || '').includes(${JSON.stringify(probe)}));
  return r ? r.getBoundingClientRect().top : null;
})()`;

async function shown(page: Page): Promise<Shown | null> {
  return (await page.evaluate(SHOWN_JS)) as Shown | null;
}

async function until<T>(what: string, ms: number, probe: () => Promise<T | null | undefined | false>): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function notebookScreenshot(page: Page, o: ScreenshotOptions): Promise<void> {
  await openFromQuickOpen(page, o.fileName);
  const first = await until('notebook cells to render', 60_000, async () => {
    const s = await shown(page);
    return s && s.rows >= Math.min(3, o.expected.length) ? s : null;
  });
  if (o.expected[0]?.kind === 'markdown' && first.markdownRows === 0) {
    throw new Error('the first cell of the runbook is prose but no markdown cell row is rendered');
  }

  // Scroll until the first code cell is on screen and check that it shows the runbook's command.
  const firstCode = o.expected.find((c) => c.kind === 'code');
  if (firstCode) {
    const probe = norm(firstCode.source.split('\n').find((l) => l.trim()) ?? '').slice(0, 40);
    const box = first.box;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await until(`a code cell showing ${JSON.stringify(probe)}`, 60_000, async () => {
      const s = await shown(page);
      if (s?.codeTexts.some((t) => norm(t).includes(probe))) return true;
      await page.mouse.wheel(0, 400);
      return false;
    });
    // Bring that cell's top into view, with some of the prose above it.
    // (small steps: the list scales wheel deltas, so a big one overshoots.)
    for (let i = 0; i < 30; i++) {
      const cellTop = (await page.evaluate(cellTopJs(probe))) as number | null;
      if (process.env.E2E_VERBOSE) console.log(`  screenshot: code cell top ${cellTop}, list ${JSON.stringify(box)}`);
      if (cellTop === null || cellTop < box.y + box.height / 2) break;
      await page.mouse.wheel(0, 60);
      await page.waitForTimeout(150);
    }
  }
  // Markdown cells are rendered in the notebook's webview: give it a moment to paint.
  await page.waitForTimeout(2500);
  await page.screenshot({ path: o.out });
}
