// What a user who installs only the .vsix gets (issue 18 §4), in a real VS Code driven like a person would:
//   node --import tsx test/e2e/vsixInstall.ts        (prints PASS/FAIL, exit code 0/1; scripts/e2e.sh runs it)
// 1. `code-server --install-extension dist/runbook-notebooks.vsix` into a fresh extensions dir (no development
//    link), a fresh user-data dir and a fresh HOME; packages the .vsix first when it is missing or stale;
// 2. opens a folder outside the repository holding one runbook of the user's; workspace trust is on and the
//    user first answers "No, I don't trust": Open Sample Runbooks copies the samples into the folder picked in
//    the folder dialog (typed into it), and Start Tabletop Drill refuses (Restricted Mode);
// 3. the user trusts the folder: Start Tabletop Drill → pick the scenario → run the initial assessment with
//    the cell's run button → End Drill: the saved record has the briefing, the step's output, the drill-end row
//    and the drill report;
// 4. Runbook: Install Command-Line Tool, then `runbook --help` and `runbook verify <record>` typed into the
//    integrated terminal; what they print is checked (tee'd into a file) and photographed.
// Screenshots: test-results/vsix-*.png.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { parseRunbook } from '../../src/core/format/index.js';
import { ROOT, ensureDir, launchBrowser, openWorkbench, runCleanups, startCodeServer, workbenchUrl, writeUserSettings } from './codeServer.js';
import { chooseRestrictedMode, DRILL_REFUSAL, openFromQuickOpen, until } from './runCheck.js';

const VSIX = path.join(ROOT, 'dist/runbook-notebooks.vsix');
const CODE_SERVER_BIN = path.join(ROOT, '.vscode-test/code-server/node_modules/.bin/code-server');
const OUT = ensureDir(path.join(ROOT, 'test-results'));
let current: Page | undefined;
let baseDir: string | undefined;

/** A drill left running by a failed run (its service outlives code-server): every process started from our temp dir. */
function killLeftovers(): void {
  if (!baseDir) return;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (Number(pid) !== process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(baseDir)) process.kill(Number(pid), 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}
// The mouse is moved off the tabs first: their hovers cover what the screenshot is about.
const shot = async (page: Page, name: string) => {
  await page.mouse.move(900, 700);
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(OUT, `vsix-${name}.png`) });
};

const USER_RUNBOOK = `---
title: Payments API restart
---
# Payments API restart

Check the API before touching anything.

\`\`\`bash {name=payments-status}
echo payments-ok
\`\`\`
`;

/** Packages the .vsix (scripts/check-vsix.sh: vsce without warnings) when it is missing or older than the build. */
function ensureVsix(): void {
  const inputs = ['package.json', 'dist/extension.js', 'dist/cli.js', 'dist/server.js', 'docs/EXTENSION-README.md'].map((f) => path.join(ROOT, f));
  const newest = Math.max(...inputs.filter(existsSync).map((f) => statSync(f).mtimeMs));
  if (existsSync(VSIX) && statSync(VSIX).mtimeMs >= newest) return;
  console.log('vsix-install: packaging dist/runbook-notebooks.vsix (scripts/check-vsix.sh)');
  execFileSync('bash', [path.join(ROOT, 'scripts/check-vsix.sh')], { cwd: ROOT, stdio: 'inherit' });
}

/** Runs a palette command by its title, as typed by a person: Ctrl+Shift+P, the title, Enter on its row. */
async function palette(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: title }) }).first();
  await row.waitFor({ timeout: 15_000 });
  if (process.env.E2E_VERBOSE) await page.screenshot({ path: path.join(OUT, `vsix-palette-${title.replace(/\W+/g, '-')}.png`) });
  await row.click();
}

/** The text of the visible notification toasts. */
async function toasts(page: Page): Promise<string> {
  return (await page.locator('.notification-toast').allInnerTexts().catch(() => [] as string[])).join('\n');
}

/** Opens `file` in `folder` (top level of the workspace) with clicks in the Explorer. */
async function openFromExplorer(page: Page, folder: string, file: string): Promise<void> {
  await page.keyboard.press('Escape');
  await palette(page, 'View: Show Explorer');
  const rows = page.locator('.explorer-folders-view .monaco-list-row');
  const fileRow = rows.filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${file.replace(/\./g, '\\.')}$`) }) }).first();
  if (!(await fileRow.isVisible().catch(() => false))) {
    await rows.filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${folder}$`) }) }).first().click({ timeout: 15_000 });
  }
  await fileRow.click({ timeout: 15_000 });
  await page.locator('.tabs-container .tab.active', { hasText: file }).first().waitFor({ state: 'attached', timeout: 30_000 });
}

/** Puts code cell `probe` (a line of its source) on screen and clicks its run button; waits until it is done. */
async function runCellShowing(page: Page, probe: string): Promise<void> {
  // Other (hidden) notebook editors keep their rows: only the visible editor's count.
  const row = page.locator('.notebook-editor .monaco-list-row.code-cell-row:visible').filter({ hasText: probe }).first();
  const list = page.locator('.notebook-editor .cell-list-container:visible').first();
  await list.waitFor({ timeout: 30_000 });
  const box = await list.boundingBox();
  if (!box) throw new Error('the notebook has no cell list on screen');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 40 && !(await row.isVisible().catch(() => false)); i++) {
    await page.mouse.wheel(0, 250);
    await page.waitForTimeout(250);
  }
  await row.locator('.cell-editor-container .view-lines').click();
  const button = row.locator('.run-button-container .codicon-notebook-execute');
  await button.waitFor({ state: 'attached', timeout: 15_000 });
  await button.click({ force: true });
  await row.locator('.codicon-notebook-state-success, .codicon-notebook-state-error').first().waitFor({ timeout: 90_000 });
  // Bring the cell and its output up, for the screenshot (out of the cell editor first: the notebook keeps
  // an editor's cursor in view).
  await page.keyboard.press('Escape');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 12; i++) {
    const top = (await row.boundingBox())?.y;
    if (top === undefined || top < box.y + 80) break;
    await page.mouse.wheel(0, 200);
    await page.waitForTimeout(300);
  }
}

async function main(): Promise<void> {
  ensureVsix();
  const base = mkdtempSync(path.join(tmpdir(), 'runbook-vsix-'));
  baseDir = base;
  // A fresh home as Debian makes one (/etc/skel: its ~/.profile puts ~/.local/bin on the PATH when it exists)
  // with ~/.local/bin. VS Code takes the extension host's PATH from a login shell, so this is what it sees.
  const home = ensureDir(path.join(base, 'home'));
  if (existsSync('/etc/skel')) cpSync('/etc/skel', home, { recursive: true });
  ensureDir(path.join(home, '.local/bin'));
  const ws = ensureDir(path.join(base, 'my-runbooks'));
  if (ws.startsWith(ROOT + path.sep)) throw new Error(`the workspace ${ws} is inside the repository`);
  writeFileSync(path.join(ws, 'payments.runbook.md'), USER_RUNBOOK);
  // The folder the user copies the samples into (made beforehand, as with the dialog's "New Folder").
  const samples = ensureDir(path.join(ws, 'samples'));
  const extensions = path.join(base, 'extensions');
  const userData = path.join(base, 'user-data');
  // A fresh HOME: the launcher goes to ~/.local/bin, which (as Debian's ~/.profile does) is on the PATH.
  const env = { HOME: home, SHELL: '/bin/bash', PATH: `${path.join(home, '.local/bin')}${path.delimiter}${process.env.PATH ?? ''}` };

  // 1. Installed the way a user installs a .vsix.
  const installed = execFileSync(CODE_SERVER_BIN, ['--extensions-dir', extensions, '--user-data-dir', userData,
    '--config', path.join(userData, 'config.yaml'), '--install-extension', VSIX], { encoding: 'utf8', env: { ...process.env, ...env } });
  if (!/was successfully installed/.test(installed)) throw new Error(`code-server --install-extension said: ${installed}`);
  const dirs = readdirSync(extensions).filter((d) => d.startsWith('runbook-notebooks.runbook-notebooks-'));
  if (dirs.length !== 1) throw new Error(`installed extension folders: ${JSON.stringify(readdirSync(extensions))}`);
  writeUserSettings(userData);

  const server = await startCodeServer({ userDataDir: userData, extensionsDir: extensions, folder: ws, disableWorkspaceTrust: false, env, logFile: path.join(OUT, 'code-server-vsix.log') });
  const page = await openWorkbench(await launchBrowser(), workbenchUrl(server, ws));
  current = page;

  // 2. Not trusted yet: the user's runbook opens; the samples come; a drill does not start.
  await chooseRestrictedMode(page);
  await openFromQuickOpen(page, 'payments.runbook.md');
  await page.locator('.notebook-editor .monaco-list-row.code-cell-row', { hasText: 'echo payments-ok' }).first().waitFor({ timeout: 30_000 });
  await shot(page, 'own-runbook');
  await palette(page, 'Runbook: Open Sample Runbooks');
  const dialogInput = page.locator('.quick-input-widget input');
  await page.locator('.quick-input-widget', { hasText: 'Open Sample Runbooks: choose a folder' }).first().waitFor({ timeout: 15_000 });
  // VS Code's own folder dialog (a path box in the browser): it first fills in the workspace folder; the user
  // types the folder's path over it.
  await until('the folder dialog to show its start folder', 15_000, async () => (await dialogInput.inputValue()).startsWith('/'));
  await page.waitForTimeout(500);
  await dialogInput.fill(`${samples}/`);
  await until('the folder dialog to go into the typed folder', 15_000, async () => (await dialogInput.inputValue()) === `${samples}/`);
  await page.waitForTimeout(1000);
  await shot(page, 'folder-picker');
  await page.locator('.quick-input-widget').getByRole('button', { name: 'Copy Samples Here' }).first().click({ timeout: 10_000 });
  const sample = path.join(samples, 'cvd-incident-response.runbook.md');
  await until('the samples to be copied', 30_000, () => existsSync(sample) && existsSync(path.join(samples, 'drills/cvd-incident-response/service-down/manifest.json')));
  await page.locator('.tabs-container .tab.active', { hasText: 'cvd-incident-response.runbook.md' }).first().waitFor({ state: 'attached', timeout: 30_000 });
  await page.waitForTimeout(1500);
  await shot(page, 'samples');
  await palette(page, 'Runbook: Start Tabletop Drill');
  await until('Start Tabletop Drill to refuse in Restricted Mode', 15_000, async () => (await toasts(page)).includes(DRILL_REFUSAL));
  await shot(page, 'drill-untrusted');
  if (existsSync(path.join(samples, 'incidents')) || existsSync(path.join(ws, 'incidents'))) throw new Error('a drill record was written in Restricted Mode');

  // 3. Trusted: the drill end to end.
  await palette(page, 'Workspaces: Manage Workspace Trust');
  await page.getByRole('button', { name: /^Trust( Folder)?$/ }).first().click({ timeout: 15_000 });
  await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'detached', timeout: 15_000 });
  // Trust restarts the extension host and may close the sample's notebook; the sample is opened again from
  // the Explorer (quick open's file list may still be the one from before the copy).
  await page.waitForTimeout(3000);
  await openFromExplorer(page, 'samples', 'cvd-incident-response.runbook.md');
  await page.waitForTimeout(1500);
  await palette(page, 'Runbook: Start Tabletop Drill');
  const scenario = page.locator('.quick-input-widget', { hasText: 'choose a scenario' }).locator('.quick-input-list .monaco-list-row', { hasText: 'cvd-incident-response/service-down' }).first();
  await scenario.waitFor({ timeout: 20_000 });
  await shot(page, 'drill-picker');
  await scenario.click();
  const incidents = path.join(ws, 'incidents');
  let record = '';
  await until('the drill record to be written', 60_000, () => {
    record = existsSync(incidents) ? readdirSync(incidents).find((f) => /^DRILL-CVD-.*\.runbook\.md$/.test(f)) ?? '' : '';
    return !!record;
  });
  const recordFile = path.join(incidents, record);
  await page.locator('.tabs-container .tab.active', { hasText: record }).first().waitFor({ state: 'attached', timeout: 45_000 });
  await page.waitForTimeout(2000);
  await shot(page, 'drill-record');
  await runCellShowing(page, 'INCIDENT RESPONSE INITIATED');
  await until('the record to be saved with the step\'s output', 20_000, () => readFileSync(recordFile, 'utf8').includes('❌ CVD service is down'));
  await page.waitForTimeout(1000);
  await shot(page, 'drill-step');
  await palette(page, 'Runbook: End Drill');
  await until('End Drill to write the drill-end row', 30_000, () => readFileSync(recordFile, 'utf8').includes('drill-end'));
  await page.waitForTimeout(1500);
  await shot(page, 'drill-ended');
  const text = readFileSync(recordFile, 'utf8');
  const doc = parseRunbook(text);
  const events = (doc.log?.rows ?? []).map((r) => `${r.cell ?? ''}:${r.event}`);
  const problems = [
    !text.includes('<!-- runbook:drill-briefing -->') && 'no briefing banner',
    !text.includes("PagerDuty: 'CVD /health failing from all probes'") && 'the briefing text is missing',
    events[0] !== ':drill-start' && !events[0]?.endsWith('drill-start') && `first log row is ${events[0]}`,
    !events.some((e) => e === 'initial-assessment:run') && 'no run row for initial-assessment',
    events.filter((e) => e.endsWith('drill-end')).length !== 1 && 'not exactly one drill-end row',
    !text.includes('### Drill: time to each step') && 'no drill report',
    !/\n {2}status: ended\n/.test(text) && 'the record is not closed (status: ended)',
  ].filter(Boolean);
  if (problems.length) throw new Error(`the drill record ${recordFile}: ${problems.join('; ')} (log: ${events.join(', ')})`);

  // 4. The command-line tool, installed from the palette and run in the integrated terminal.
  // (As root, /usr/local/bin would do when ~/.local/bin were not on the PATH: the test must not leave one there.)
  const systemWide = '/usr/local/bin/runbook';
  const systemWideBefore = existsSync(systemWide);
  await palette(page, 'Runbook: Install Command-Line Tool');
  const launcher = path.join(home, '.local/bin/runbook');
  await until('the runbook launcher in ~/.local/bin', 15_000, () => existsSync(launcher) || (!systemWideBefore && existsSync(systemWide)));
  if (!systemWideBefore && existsSync(systemWide)) {
    if (readFileSync(systemWide, 'utf8').includes(base)) rmSync(systemWide);
    throw new Error(`the launcher went to ${systemWide}, not to ${launcher}: ~/.local/bin was not on the extension host's PATH`);
  }
  await until('the install notification', 15_000, async () => (await toasts(page)).includes(`Installed the runbook command in ${launcher}`));
  await shot(page, 'cli-installed');
  await palette(page, 'Terminal: Create New Terminal');
  const term = page.locator('.terminal-wrapper.active .xterm, .terminal .xterm').first();
  await term.waitFor({ timeout: 30_000 });
  await page.waitForTimeout(2000);
  await term.click();
  const helpOut = path.join(base, 'help.txt');
  const verifyOut = path.join(base, 'verify.txt');
  await page.keyboard.type(`runbook --help > ${helpOut} 2>&1; head -4 ${helpOut}`, { delay: 5 });
  await page.keyboard.press('Enter');
  await until('runbook --help to answer in the terminal', 30_000, () => existsSync(helpOut) && readFileSync(helpOut, 'utf8').length > 0);
  await page.keyboard.type(`runbook verify incidents/${record} 2>&1 | tee ${verifyOut}; echo "exit=\${PIPESTATUS[0]}" >> ${verifyOut}`, { delay: 5 });
  await page.keyboard.press('Enter');
  await until('runbook verify to finish in the terminal', 30_000, () => existsSync(verifyOut) && readFileSync(verifyOut, 'utf8').includes('exit='));
  await page.waitForTimeout(1000);
  await shot(page, 'cli-terminal');
  const help = readFileSync(helpOut, 'utf8');
  const verified = readFileSync(verifyOut, 'utf8');
  if (!/\bverify\b/.test(help) || !/\brun\b/.test(help)) throw new Error(`runbook --help printed: ${help.slice(0, 800)}`);
  if (!verified.includes(`incidents/${record}: `) || !verified.includes('exit=0')) throw new Error(`runbook verify printed: ${verified}`);
  console.log(verified.trim());
  await server.stop();
  if (!process.env.E2E_KEEP) rmSync(base, { recursive: true, force: true });
}

main().then(async () => {
  console.log('PASS vsix-install: installed from the .vsix into a fresh code-server, the samples came with the picker, a drill ran end to end (refused until trusted), and the installed CLI verified the record in the terminal (test-results/vsix-*.png)');
  await runCleanups();
  process.exit(0);
}, async (e: unknown) => {
  console.error(`FAIL vsix-install: ${e instanceof Error ? e.stack : String(e)}`);
  await current?.screenshot({ path: path.join(OUT, 'vsix-failure.png') }).catch(() => undefined);
  await runCleanups();
  killLeftovers();
  process.exit(1);
});
