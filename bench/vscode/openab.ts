// Opens one record in fresh code-servers, taking turns between builds of the extension (and VS Code's ipynb
// editor), and prints the medians of first and last cell rendered: a quick A/B of what changes the open.
//   node --import tsx bench/vscode/openab.ts <fixture> <runs> ipynb <dir> [<dir>…]
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { installRunbookExtension, launchBrowser, openWorkbench, runCleanups, startCodeServer, workbenchUrl, writeUserSettings } from '../../test/e2e/codeServer.js';
import { FIXTURES, writeFixture } from './fixtures.js';
import { openNotebook } from './workbench.js';

async function once(fixtureName: string, side: string): Promise<{ first: number; last: number }> {
  const base = mkdtempSync(path.join(tmpdir(), 'bench-ab-'));
  const ws = path.join(base, 'ws');
  mkdirSync(ws);
  const w = writeFixture(ws, FIXTURES.find((f) => f.name === fixtureName)!);
  const userData = path.join(base, 'user-data');
  const extensions = path.join(base, 'extensions');
  writeUserSettings(userData, { 'security.workspace.trust.enabled': false, 'workbench.editorLargeFileConfirmation': 1024 });
  mkdirSync(extensions, { recursive: true });
  if (side !== 'ipynb') installRunbookExtension(extensions, side);
  const server = await startCodeServer({ userDataDir: userData, extensionsDir: extensions, folder: ws, disableWorkspaceTrust: true, logFile: path.join(base, 'cs.log') });
  const browser = await launchBrowser();
  try {
    const page = await openWorkbench(browser, workbenchUrl(server, ws));
    await page.waitForTimeout(4000);
    return await openNotebook(page, path.basename(side === 'ipynb' ? w.ipynb : w.runbook));
  } finally {
    await browser.close();
    await server.stop();
    rmSync(base, { recursive: true, force: true });
  }
}

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
void (async () => {
  const [fixture = 'small', runs = '5', ...sides] = process.argv.slice(2);
  const got = new Map<string, { first: number[]; last: number[] }>(sides.map((s) => [s, { first: [], last: [] }]));
  for (let i = 0; i < Number(runs); i++) {
    for (const s of sides) {
      const t = await once(fixture, s);
      got.get(s)!.first.push(t.first);
      got.get(s)!.last.push(t.last);
      console.log(`#${i + 1} ${s}: ${t.first} / ${t.last} ms`);
    }
  }
  for (const [s, r] of got) console.log(`${fixture} ${s}: first ${med(r.first)} last ${med(r.last)} (median of ${r.first.length})`);
  await runCleanups();
  process.exit(0);
})();
