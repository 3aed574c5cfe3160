// A run asked for the moment a record shows runs, although the rest of the extension loads only after the
// open (issue 17: loading it with the open cost a small record's open about 0.1 s), in a real VS Code:
//   node --import tsx test/e2e/firstRunCheck.ts      (after npm run build; prints PASS/FAIL, exit code 0/1)
// code-server with RUNBOOK_TEST_REST_AFTER_OPEN_MS at 10 minutes, so nothing but the run can load the rest:
// 1. the record opens and is drawn; its notebook data was sent (perf log), the rest is not loaded;
// 2. the cell's run button, right away: the controller created at activation hands the run to the rest it
//    loads; the cell shows ✓ and its output, and the record on disk gets the output and its log row.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseRunbook, type CodeCell } from '../../src/core/format/index.js';
import {
  ROOT, ensureDir, installRunbookExtension, launchBrowser, openWorkbench, startCodeServer, workbenchUrl, writeUserSettings,
} from './codeServer.js';
import { openFromQuickOpen, runCell, runE2eCheck, until } from './runCheck.js';

const RECORD = `---
title: First run
incident: { id: FIRST-20261130-0001, severity: P2, status: open, started: 2026-11-30T10:00:00Z, commander: e2e }
---
# First run FirstRunProse

\`\`\`bash {name=first-echo}
echo first-run-output
\`\`\`
`;

/** The perf log's lines as [time, label]. */
function perfLines(file: string): [number, string][] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => {
    const [t, label] = l.split(' ');
    return [Number(t), label ?? ''];
  });
}

async function main(): Promise<void> {
  const base = mkdtempSync(path.join(tmpdir(), 'runbook-first-run-'));
  const ws = ensureDir(path.join(base, 'workspace'));
  const record = path.join(ws, 'first-run.runbook.md');
  writeFileSync(record, RECORD);
  const extensions = ensureDir(path.join(base, 'extensions'));
  installRunbookExtension(extensions);
  const userData = path.join(base, 'user-data');
  writeUserSettings(userData);
  const perf = path.join(base, 'perf.log');
  const server = await startCodeServer({
    userDataDir: userData, extensionsDir: extensions, folder: ws, disableWorkspaceTrust: true,
    env: { RUNBOOK_PERF_LOG: perf, RUNBOOK_TEST_REST_AFTER_OPEN_MS: '600000' }, logFile: path.join(base, 'code-server.log'),
  });
  const page = await openWorkbench(await launchBrowser(), workbenchUrl(server, ws));
  await openFromQuickOpen(page, 'first-run.runbook.md');
  const code = page.locator('.notebook-editor .monaco-list-row[data-index="1"] .cell-editor-container .view-lines');
  await code.waitFor({ timeout: 30_000 });
  const loaded = () => perfLines(perf).find(([, label]) => label === 'activate.parts')?.[0];
  if (!perfLines(perf).some(([, label]) => label.startsWith('deserialize.'))) throw new Error(`the perf log has no deserialize line: ${JSON.stringify(perfLines(perf))}`);
  if (loaded() !== undefined) throw new Error('the rest of the extension loaded with the open: the check proves nothing');
  const clicked = Date.now();
  await runCell(page, 1);
  const at = loaded();
  if (at === undefined) throw new Error('the cell ran but the perf log has no activate.parts line');
  if (at < clicked) throw new Error(`the rest loaded ${clicked - at} ms before the run was asked for`);
  await until('the output in the cell', 15_000, async () => {
    for (const frame of page.frames()) {
      if (await frame.getByText('first-run-output', { exact: true }).count().catch(() => 0)) return true;
    }
    return false;
  });
  await until('the record saved with the output', 30_000, () => readFileSync(record, 'utf8') !== RECORD);
  const doc = parseRunbook(readFileSync(record, 'utf8'));
  const cell = doc.cells.find((c): c is CodeCell => c.kind === 'code');
  if (cell?.outputs.map((o) => o.text.trim()).join('') !== 'first-run-output') throw new Error(`outputs on disk: ${JSON.stringify(cell?.outputs)}`);
  const rows = (doc.log?.rows ?? []).map((r) => `${r.cell}:${r.event}:${r.exit}`);
  if (rows.join(',') !== 'first-echo:run:0') throw new Error(`log rows on disk: ${rows.join(',')}`);
  execFileSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'verify', record], { encoding: 'utf8' });
  await page.screenshot({ path: path.join(ensureDir(path.join(ROOT, 'test-results')), 'first-run.png') });
  await server.stop();
  if (!process.env.E2E_KEEP) rmSync(base, { recursive: true, force: true });
}

runE2eCheck('first-run', 'a cell run as soon as its record showed ran (the rest of the extension loaded for it), and the record verifies', main);
