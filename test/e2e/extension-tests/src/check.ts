// Tiny assertion helpers for the in-VS-Code tests (mocha is not available inside code-server).
import * as vscode from 'vscode';
import type { ExpectedCell } from '../../protocol.js';

/** Progress lines go to the browser console, where the driver shows them with E2E_VERBOSE=1. */
export function trace(message: string): void {
  console.log(`[runbook-e2e] ${new Date().toISOString().slice(11, 23)} ${message}`);
}

/**
 * Lets a notebook editor's webview load its renderers before the next editor opens. VS Code web registers its
 * webview service worker once per webview (the webview id is in the script URL); a webview created while
 * another is still loading resources replaces the worker, and the first webview's pending resource loads are
 * answered by nobody until the worker's 30 s timeout (the notebook then shows no rendered markdown).
 */
export const settle = () => new Promise((r) => setTimeout(r, Number(process.env.E2E_SETTLE_MS ?? 3000)));

export function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

export function assertEqual<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

export async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`test timed out after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A fence without a language: VS Code shows such a cell as plain text. */
function sameLanguage(actual: string, expected: string): boolean {
  return actual === expected || (expected === '' && actual === 'plaintext');
}

const short = (s: string) => JSON.stringify(s.length > 120 ? s.slice(0, 120) + '…' : s);

/** The notebook's cells must be exactly the core parser's cells: count, kinds, languages and sources. */
export function compareCells(doc: vscode.NotebookDocument, expected: ExpectedCell[]): void {
  const cells = doc.getCells();
  const problems: string[] = [];
  const kindOf = (c: vscode.NotebookCell) => (c.kind === vscode.NotebookCellKind.Markup ? 'markdown' : 'code');
  for (let i = 0; i < Math.max(cells.length, expected.length); i++) {
    const c = cells[i];
    const e = expected[i];
    if (!c || !e) {
      problems.push(`cell ${i}: ${c ? 'extra cell ' + kindOf(c) + ' ' + short(c.document.getText()) : 'missing ' + e!.kind + ' ' + short(e!.source)}`);
      continue;
    }
    if (kindOf(c) !== e.kind) problems.push(`cell ${i}: kind ${kindOf(c)}, expected ${e.kind}`);
    if (e.kind === 'code' && !sameLanguage(c.document.languageId, e.language)) {
      problems.push(`cell ${i}: language ${c.document.languageId}, expected ${e.language || 'plaintext'}`);
    }
    if (c.document.getText() !== e.source) {
      problems.push(`cell ${i}: source ${short(c.document.getText())}, expected ${short(e.source)}`);
    }
    if (problems.length > 8) break;
  }
  if (cells.length !== expected.length) problems.unshift(`cell count ${cells.length}, expected ${expected.length}`);
  if (problems.length) throw new Error(`cells differ from the core parser:\n  ${problems.join('\n  ')}`);
}
