// Optional PDF of an exported record, printed by a headless Chromium when one is installed.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execaModule, execaReason } from '../util/execa.js';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The Chromium to print with, or undefined. */
export function findChromium(): string | undefined {
  const fromEnv = process.env.RUNBOOK_CHROMIUM;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  return CANDIDATES.find((p) => existsSync(p));
}

export interface ExportPdfOptions {
  chromium?: string;
  timeoutMs?: number;
}

/** Prints `htmlPath` to `pdfPath`; rejects with a clear message when Chromium is missing or fails. */
export async function exportPdf(htmlPath: string, pdfPath: string, o: ExportPdfOptions = {}): Promise<void> {
  const chromium = o.chromium ?? findChromium();
  if (!chromium) throw new Error('Chromium was not found (looked for /usr/bin/chromium and similar; set RUNBOOK_CHROMIUM): export HTML and print it instead');
  const profile = mkdtempSync(join(tmpdir(), 'runbook-pdf-'));
  const out = resolve(pdfPath);
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--no-first-run', '--no-pdf-header-footer', `--user-data-dir=${profile}`, `--print-to-pdf=${out}`, pathToFileURL(resolve(htmlPath)).href];
  rmSync(out, { force: true });
  try {
    // execa: the timeout kills Chromium (SIGTERM, then SIGKILL) and names itself in the error.
    const { execa } = await execaModule();
    const r = await execa(chromium, args, { timeout: o.timeoutMs ?? 60_000, forceKillAfterDelay: 2000, reject: false, stdin: 'ignore' });
    if (existsSync(out) && statSync(out).size > 0) return;
    const why = r.failed ? ` (${execaReason(r).replace(/: .*$/, '')})` : '';
    throw new Error(`Chromium could not print the PDF${why}: ${String(r.stderr).trim().split('\n').slice(-3).join(' ')}`);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
