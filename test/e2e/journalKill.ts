// Nothing is lost when VS Code is killed between a run and its save (issue 17 §1), in a real VS Code:
//   node --import tsx test/e2e/journalKill.ts        (after npm run build; prints PASS/FAIL, exit code 0/1)
// 1. code-server whose saves wait 10 minutes (RUNBOOK_TEST_SAVE_DELAY_MS): the `echo` cell of an incident
//    record runs and shows as done while the record on disk is unchanged: the run is only in the journal;
// 2. SIGKILL to the extension host, then to the whole code-server process group;
// 3. a new code-server opens the record: the journal is merged back and saved; the record on disk holds the
//    output and the log row, the journal is gone, and `runbook verify` passes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseRunbook, type CodeCell } from '../../src/core/format/index.js';
import { journalPathOf } from '../../src/core/log/journal.js';
import {
  ROOT, ensureDir, installRunbookExtension, launchBrowser, openWorkbench, startCodeServer, workbenchUrl, writeUserSettings,
  type CodeServer,
} from './codeServer.js';
import { openFromQuickOpen, runCell, runE2eCheck, until } from './runCheck.js';

const RECORD = `---
title: Kill test
incident: { id: KILL-20261129-0001, severity: P1, status: open, started: 2026-11-29T20:00:00Z, commander: e2e }
---
# Kill test

\`\`\`bash {name=kill-echo}
echo hi-from-the-kill-test
\`\`\`

\`\`\`bash {name=kill-date}
echo second-run
\`\`\`
`;

function groupPids(group: number, match: string): number[] {
  const out: number[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (pgrp === group && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(match)) out.push(Number(pid));
    } catch {
      /* gone */
    }
  }
  return out;
}

async function main(): Promise<void> {
  const base = mkdtempSync(path.join(tmpdir(), 'runbook-kill-'));
  const ws = ensureDir(path.join(base, 'workspace'));
  const record = path.join(ws, 'kill.runbook.md');
  const journal = journalPathOf(record);
  writeFileSync(record, RECORD);
  const extensions = ensureDir(path.join(base, 'extensions'));
  installRunbookExtension(extensions);
  // A fresh user-data dir each time: no hot-exit backup of the dirty notebook helps; the journal alone must.
  const start = (env: Record<string, string>): Promise<CodeServer> => {
    const userData = path.join(base, `user-data-${Date.now()}`);
    writeUserSettings(userData);
    return startCodeServer({
      userDataDir: userData, extensionsDir: extensions, folder: ws, disableWorkspaceTrust: true, env,
      logFile: path.join(base, `code-server-${Date.now()}.log`),
    });
  };
  const browser = await launchBrowser();

  // 1. Run two cells; the saves are held back, so only the journal has them.
  const first = await start({ RUNBOOK_TEST_SAVE_DELAY_MS: '600000' });
  let page = await openWorkbench(browser, workbenchUrl(first, ws));
  await openFromQuickOpen(page, 'kill.runbook.md');
  await runCell(page, 1);
  await runCell(page, 2);
  if (readFileSync(record, 'utf8') !== RECORD) throw new Error('the record was saved although saves were held back: the test proves nothing');
  if (!existsSync(journal)) throw new Error(`no journal at ${journal} after two runs`);
  const lines = readFileSync(journal, 'utf8').trim().split('\n');
  if (lines.length !== 2) throw new Error(`journal has ${lines.length} entries, expected 2`);

  // 2. Kill the extension host, then everything.
  const hosts = groupPids(first.proc.pid!, 'extensionHost');
  if (!hosts.length) throw new Error('no extension host process found');
  for (const pid of hosts) process.kill(pid, 'SIGKILL');
  process.kill(-first.proc.pid!, 'SIGKILL');
  await page.close();
  await until('code-server to exit', 15_000, () => first.proc.exitCode !== null || first.proc.signalCode !== null);

  // 3. Open again: merged back, saved, journal gone, verified.
  const second = await start({});
  page = await openWorkbench(browser, workbenchUrl(second, ws));
  await openFromQuickOpen(page, 'kill.runbook.md');
  await until('the journal to be merged and the record saved', 60_000, () => !existsSync(journal) && readFileSync(record, 'utf8') !== RECORD);
  const doc = parseRunbook(readFileSync(record, 'utf8'));
  const code = doc.cells.filter((c): c is CodeCell => c.kind === 'code');
  const outputs = code.map((c) => c.outputs.map((o) => o.text.trim()).join(''));
  if (outputs[0] !== 'hi-from-the-kill-test' || outputs[1] !== 'second-run') throw new Error(`outputs after reopening: ${JSON.stringify(outputs)}`);
  const rows = (doc.log?.rows ?? []).map((r) => `${r.cell}:${r.event}`);
  if (rows.join(',') !== 'kill-echo:run,kill-date:run') throw new Error(`log rows after reopening: ${rows.join(',')}`);
  const verify = execFileSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'verify', record], { encoding: 'utf8' });
  await page.screenshot({ path: path.join(ensureDir(path.join(ROOT, 'test-results')), 'journal-kill.png') });
  await second.stop();
  console.log(verify.trim());
  if (!process.env.E2E_KEEP) rmSync(base, { recursive: true, force: true });
}

runE2eCheck('journal-kill', 'a run kept only in the journal when VS Code was killed is in the record after reopening, and verifies', main);
