// One fresh code-server with one fixture written into its workspace, for the bench's one-off tools
// (profile.ts, trace.ts, openab.ts): fresh user data (every open is a first open), our extension from
// `extensionDir` when given (none: VS Code's own ipynb editor alone), the workbench open in Chromium.
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import {
  installRunbookExtension, launchBrowser, openWorkbench, ROOT, runCleanups, startCodeServer, workbenchUrl, writeUserSettings, type CodeServer,
} from '../../test/e2e/codeServer.js';
import { FIXTURES, writeFixture, type Written } from './fixtures.js';

export interface BenchSession {
  base: string;
  userData: string;
  /** What our code logs (RUNBOOK_PERF_LOG). */
  perfLog: string;
  written: Written;
  server: CodeServer;
  page: Page;
  /** The file of `format` in the workspace. */
  file(format: string): string;
  close(): Promise<void>;
}

export async function benchSession(fixtureName: string, o: { extensionDir?: string; nullKernel?: boolean; env?: Record<string, string>; extraArgs?: string[] } = {}): Promise<BenchSession> {
  const fixture = FIXTURES.find((f) => f.name === fixtureName);
  if (!fixture) throw new Error(`no fixture ${fixtureName}: ${FIXTURES.map((f) => f.name).join(', ')}`);
  const base = mkdtempSync(path.join(tmpdir(), 'bench-session-'));
  const ws = path.join(base, 'ws');
  mkdirSync(ws);
  const written = writeFixture(ws, fixture);
  const userData = path.join(base, 'user-data');
  const extensions = path.join(base, 'extensions');
  // VS Code asks before opening a notebook over 10 MB ("Open Anyway"): the bench opens it anyway.
  writeUserSettings(userData, { 'security.workspace.trust.enabled': false, 'workbench.editorLargeFileConfirmation': 1024 });
  mkdirSync(extensions, { recursive: true });
  if (o.extensionDir) installRunbookExtension(extensions, o.extensionDir);
  if (o.nullKernel) installNullKernel(extensions);
  const server = await startCodeServer({
    userDataDir: userData, extensionsDir: extensions, folder: ws, disableWorkspaceTrust: true,
    logFile: path.join(base, 'code-server.log'), env: { RUNBOOK_PERF_LOG: path.join(base, 'perf.log'), ...o.env }, extraArgs: o.extraArgs,
  });
  const browser = await launchBrowser();
  const page = await openWorkbench(browser, workbenchUrl(server, ws));
  // The workbench settles (extensions activating at startup) before anything is measured.
  await page.waitForTimeout(4000);
  return {
    base, userData, perfLog: path.join(base, 'perf.log'), written, server, page,
    file: (format) => (format === 'ipynb' ? written.ipynb : written.runbook),
    close: async () => {
      await browser.close();
      await server.stop();
      if (!process.env.BENCH_KEEP) rmSync(base, { recursive: true, force: true });
    },
  };
}

/** Installs the bench's do-nothing kernel for VS Code's ipynb editor (nullKernel/): VS Code's own run figures. */
export function installNullKernel(extensionsDir: string): void {
  cpSync(path.join(ROOT, 'bench', 'vscode', 'nullKernel'), path.join(extensionsDir, 'runbook-bench.bench-null-kernel-0.0.1'), { recursive: true });
}

/** Runs a one-off tool's `main`: its code-servers and browsers are stopped either way; exit code 1 on an error. */
export function runTool(main: () => Promise<void>): void {
  main().then(() => runCleanups()).then(() => process.exit(0), async (e: unknown) => {
    console.error(e);
    await runCleanups();
    process.exit(1);
  });
}
