// End-to-end tests in a real VS Code (code-server 4.100.3) driven by Debian's Chromium.
//   node --import tsx test/e2e/run-extension-tests.ts      (scripts/e2e.sh installs and builds first)
// 1. copies samples/ to a temp workspace and computes the expected cells with the core parser;
// 2. installs the built extension and the test extension (test/e2e/extension-tests) into a fresh extensions dir;
// 3. starts code-server on a free loopback port and opens the workbench in Chromium (the extension host
//    only starts when a page connects); the test extension runs its tests and writes results to a file;
//    Meanwhile the driver acts for the person at the browser (uiWatcher.ts): answers the modal confirmations of
//    destructive cells with "Run", types a value into any variable prompt (none should appear), and takes the
//    screenshots the tests ask for (test-results/drill.png);
// 4. through the UI: opens a sample with Ctrl+P and saves test-results/notebook.png, then "Run All" on a
//    one-cell runbook must run it (test-results/run.png);
// 5. a second code-server with workspace trust on: after "No, I don't trust", Run All must run nothing
//    (test-results/restricted.png), and "Start Tabletop Drill" (which VS Code does not gate) must be refused
//    by the extension's own notification without running the scenario's setup.sh (restricted-drill.png);
// 6. stops code-server and the browser, prints "N passed, M failed", exits non-zero when anything failed.
// Env: E2E_VERBOSE=1 (progress, browser errors), E2E_KEEP=1 (keep the temp dir), E2E_TIMEOUT_MS,
// E2E_EXTENSION_DIR (test another extension folder), CHROMIUM_PATH, E2E_ONLY=text (only the in-VS-Code tests whose
// name holds it, e.g. E2E_ONLY=alerts: — the driver's own checks then fail for what did not run),
// E2E_RESTRICTED_ONLY=1 (only step 5).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseRunbook } from '../../src/core/format/index.js';
import type { E2eConfig, E2eResults, ExpectedNotebook } from './protocol.js';
import { execFileSync } from 'node:child_process';
import {
  ROOT, ensureDir, installRunbookExtension, installRunbookVsix, installTestExtension, listInExtensionsJson, launchBrowser, openWorkbench, runCleanups,
  startCodeServer, workbenchUrl, writeUserSettings,
} from './codeServer.js';
import { notebookScreenshot } from './screenshot.js';
import { startUiWatcher } from './uiWatcher.js';
import { ensureSudoUser, sudoUserSkipReason } from '../harness/sudoUser.js';
import { ALERT_LINK_LABELS, alertLinkDialogProblem, alertLinkRunbook } from './alertLinkCheck.js';
import { prometheusSkipReason, startPrometheus, type PrometheusServer } from '../harness/prometheus.js';
import {
  chooseRestrictedMode, ctrlEnterRuns, notificationSources, refusalDrillFiles, runAllRefusedWhenUntrusted, runAllRuns, runCheckRunbook,
  startDrillRefusedWhenUntrusted,
} from './runCheck.js';
import type { Page } from 'playwright-core';

// The in-VS-Code tests take about five minutes on a loaded machine; the budget leaves room for that.
const RESULT_TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS ?? 480_000);
const OUT = ensureDir(path.join(ROOT, 'test-results'));
const SCRATCH = '_e2e';

function expectCells(file: string): ExpectedNotebook['cells'] {
  const doc = parseRunbook(readFileSync(file, 'utf8'));
  return doc.cells.map((c) => ({ kind: c.kind, language: c.kind === 'code' ? c.language : 'markdown', source: c.source }));
}

/** Picks a code cell whose source occurs once in the file, so the expected text after an edit is exact. */
function editExpectation(file: string): ExpectedNotebook['edit'] {
  const text = readFileSync(file, 'utf8');
  const doc = parseRunbook(text);
  if (doc.eol !== '\n') return undefined;
  const code = doc.cells.filter((c) => c.kind === 'code');
  for (let i = 0; i < code.length; i++) {
    const c = code[i]!;
    if (c.kind !== 'code' || c.raw || c.fence.indent || c.outputs.length || c.source.length < 10) continue;
    if (text.split(c.source).length !== 2) continue;
    const newSource = `${c.source}\n# edited by the e2e test`;
    return { codeIndex: i, newSource, expectedText: text.replace(c.source, () => newSource) };
  }
  return undefined;
}

/** The workspace: a temp copy of samples/ (or, while samples/ has no runbook yet, of the seed documents). */
function makeWorkspace(base: string): string {
  const ws = path.join(base, 'workspace');
  const samples = path.join(ROOT, 'samples');
  const runbooks = existsSync(samples) ? readdirSync(samples).filter((f) => f.endsWith('.runbook.md')) : [];
  if (runbooks.length) {
    cpSync(samples, ws, { recursive: true });
  } else {
    const seeds = path.resolve(ROOT, '../shared/seeds');
    if (!existsSync(seeds)) throw new Error('no samples/*.runbook.md and no ../shared/seeds to test with');
    ensureDir(ws);
    for (const f of readdirSync(seeds).filter((f) => f.endsWith('.md'))) {
      cpSync(path.join(seeds, f), path.join(ws, f.replace(/\.md$/, '.runbook.md')));
    }
    console.log('e2e: samples/ has no *.runbook.md yet; testing with copies of ../shared/seeds');
  }
  return ws;
}

async function main(): Promise<number> {
  const started = Date.now();
  const base = mkdtempSync(path.join(tmpdir(), 'runbook-e2e-'));
  if (process.env.E2E_RESTRICTED_ONLY === '1') {
    const r = await restrictedMode(base);
    if (!r.failed && !process.env.E2E_KEEP) rmSync(base, { recursive: true, force: true });
    console.log(`e2e: ${r.passed} passed, ${r.failed} failed (E2E_RESTRICTED_ONLY=1)`);
    return r.failed ? 1 : 0;
  }
  const ws = makeWorkspace(base);
  const scratch = ensureDir(path.join(ws, SCRATCH));
  const runbooks = (readdirSync(ws, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.runbook.md') && !f.startsWith(SCRATCH))
    .sort();
  const notebooks: ExpectedNotebook[] = runbooks.map((f) => ({ file: f, cells: expectCells(path.join(ws, f)) }));

  // Files the tests modify live in the scratch folder.
  let editable: ExpectedNotebook | undefined;
  const flat = (f: string) => f.replace(/[\\/]/g, '__');
  for (const f of runbooks) {
    const copy = path.join(scratch, `edit-${flat(f)}`);
    cpSync(path.join(ws, f), copy);
    const edit = editExpectation(copy);
    if (edit) {
      editable = { file: path.join(SCRATCH, `edit-${flat(f)}`), cells: expectCells(copy), edit };
      break;
    }
    rmSync(copy);
  }
  if (editable) notebooks.push(editable);
  const saveChecks = runbooks.map((f) => {
    cpSync(path.join(ws, f), path.join(scratch, `save-${flat(f)}`));
    return path.join(SCRATCH, `save-${flat(f)}`);
  });
  const first = runbooks.find((f) => f.startsWith('cvd-incident-response')) ?? runbooks[0]!;
  const plainFile = path.join(scratch, 'plain-notes.md');
  cpSync(path.join(ws, first), plainFile);
  cpSync(path.join(ws, first), path.join(scratch, 'plain-notes-2.md'));
  cpSync(path.join(ws, first), path.join(scratch, `default-${first}`));

  const trustedMarker = path.join(base, 'trusted-run-marker');
  writeFileSync(path.join(scratch, 'run-check.runbook.md'), runCheckRunbook(trustedMarker));

  // Issue 15: the runbook an alert link opens (a loopback Prometheus for its chart, when installed).
  const alertMarker = path.join(base, 'alert-link-marker');
  const prometheus: PrometheusServer | undefined = prometheusSkipReason() ? undefined : await startPrometheus();
  writeFileSync(path.join(scratch, 'alert-link.runbook.md'), alertLinkRunbook(alertMarker, prometheus?.url));

  const ctrlEnterMarker = path.join(base, 'ctrl-enter-marker');
  writeFileSync(path.join(scratch, 'ctrl-enter-check.runbook.md'), runCheckRunbook(ctrlEnterMarker));

  const extensionsDir = ensureDir(path.join(base, 'extensions'));
  const userDataDir = ensureDir(path.join(base, 'user-data'));
  // Installed like `npm start` does (a real install from the .vsix), unless another folder is under test.
  const ext = process.env.E2E_EXTENSION_DIR ? installRunbookExtension(extensionsDir) : installRunbookVsix(extensionsDir, userDataDir, base);
  listInExtensionsJson(extensionsDir, await installTestExtension(extensionsDir));
  // Most tests run cells of plain runbooks and check what is written: the old behaviour. The runbook-vs-record
  // test switches the setting to "ask" while it runs.
  writeUserSettings(userDataDir, { 'runbook.run.plainRunbooks': 'record' });

  const resultFile = path.join(base, 'results.json');
  const config: E2eConfig = {
    workspace: ws,
    resultFile,
    extensionId: ext.id,
    notebookType: 'runbook',
    notebooks,
    plainMarkdown: { file: path.relative(ws, plainFile), cells: expectCells(plainFile) },
    plainMarkdownNoArg: path.join(SCRATCH, 'plain-notes-2.md'),
    defaultOpen: path.join(SCRATCH, `default-${first}`),
    saveChecks,
    scratch: SCRATCH,
    drillSample: runbooks.find((f) => f === 'cvd-incident-response.runbook.md'),
    uiRequests: ensureDir(path.join(base, 'ui-requests')),
    ...(sudoUserSkipReason() ? {} : { sudo: (({ name, password }) => ({ user: name, password }))(ensureSudoUser()) }),
    reportPdf: path.join(scratch, 'drill-report.pdf'),
    alertLink: { runbook: `${SCRATCH}/alert-link.runbook.md`, marker: alertMarker, ...(prometheus ? { prometheusUrl: prometheus.url } : {}) },
  };
  const configFile = path.join(base, 'config.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));

  const server = await startCodeServer({
    userDataDir,
    extensionsDir,
    folder: ws,
    disableWorkspaceTrust: true,
    env: { RUNBOOK_E2E_CONFIG: configFile },
    logFile: path.join(OUT, 'code-server.log'),
  });
  console.log(`e2e: code-server up on ${server.url} after ${((Date.now() - started) / 1000).toFixed(1)} s (temp dir ${base})`);

  const browser = await launchBrowser();
  const consoleErrors: string[] = [];
  const page = await openWorkbench(browser, workbenchUrl(server, ws), (type, text) => {
    if (type === 'error') consoleErrors.push(text);
    if (process.env.E2E_VERBOSE && (text.includes('[runbook-e2e]') || type === 'error')) {
      console.log(`  [browser ${type}] ${text.slice(0, 400)}`);
    }
  });

  let failed = 0;
  let passed = 0;
  const verbose = (s: string) => { if (process.env.E2E_VERBOSE) console.log(`  ${s}`); };
  const watcher = startUiWatcher(page, config.uiRequests, OUT, verbose);
  const results = await waitForResults(resultFile);
  const ui = await watcher.stop();
  if (!results) {
    console.log(`e2e: FAIL no test results within ${RESULT_TIMEOUT_MS / 1000} s`);
    failed++;
    await page.screenshot({ path: path.join(OUT, 'e2e-timeout.png') }).catch(() => undefined);
  } else {
    console.log(`e2e: VS Code ${results.vscodeVersion}`);
    for (const r of results.results) {
      console.log(`${r.ok ? '  ok  ' : '  FAIL'} ${r.name} (${r.ms} ms)`);
      if (!r.ok) console.log(indent(r.error ?? ''));
      if (r.ok) passed++; else failed++;
    }
    if (!results.done) {
      console.log('  FAIL the test run did not finish');
      failed++;
    }
  }
  // What the person at the browser had to do while the tests ran.
  const driverCheck = (name: string, problem: string | undefined) => {
    console.log(`${problem ? '  FAIL' : '  ok  '} ${name}`);
    if (problem) {
      console.log(indent(problem));
      failed++;
    } else passed++;
  };
  if (config.drillSample) {
    driverCheck(`the drill's destructive cell asked for confirmation, answered "Run on …" in the browser (${ui.confirmations.length} answered)`,
      ui.confirmations.some((t) => t.startsWith('Run "immediate-stabilization" on ')) ? undefined
        : `no confirmation of immediate-stabilization ("Run …?") was seen; dialogs answered: ${JSON.stringify(ui.confirmations)}`);
  }
  const sudo = config.sudo;
  if (sudo) {
    driverCheck(`sudo's password prompt appeared in code-server's input box (a password box naming the cell and target) and was answered there`,
      ui.cellInputs.some((t) => t.password && /sudo-asks on \S+@\S+ is waiting for input/.test(t.text) && t.text.includes(`[sudo] password for ${sudo.user}:`))
        ? undefined : `no such input box; cell input boxes seen: ${JSON.stringify(ui.cellInputs)}`);
  } else if (process.env.CI === 'true') {
    driverCheck('the prompt test can run', `it needs real sudo and root: ${sudoUserSkipReason()}`);
  }
  // Issue 13: what the questions showed in the browser.
  const stabilization = ui.confirmDetails.find((c) => c.title.startsWith('Run "immediate-stabilization"'));
  driverCheck('the confirmation names the target in words and lists the exact lines that triggered it (test-results/confirm.png)',
    !stabilization ? `no confirmation of immediate-stabilization was seen: ${JSON.stringify(ui.confirmDetails.map((c) => c.title))}`
      : stabilization.title !== 'Run "immediate-stabilization" on this machine (drill stand-in for cvd-prod)?' ? `title: ${stabilization.title}`
        : !stabilization.rows[0]?.includes('Cancel') ? `the first (default) choice is not Cancel: ${JSON.stringify(stabilization.rows)}`
          : !stabilization.rows.some((r) => r.includes('sudo systemctl restart ${SERVICE_NAME}') && r.includes('line 4')) ? `the triggering line is not shown: ${JSON.stringify(stabilization.rows)}`
            : undefined);
  driverCheck('Enter on a confirmation takes the default, Cancel: the second run of honest-check was declined',
    ui.confirmDetails.some((c) => c.title === 'Run "honest-check" on this machine?' && c.answer === 'enter') ? undefined
      : `confirmations seen: ${JSON.stringify(ui.confirmDetails.map((c) => `${c.title} → ${c.answer}`))}`);
  driverCheck('a plain runbook asked once where its step should run (test-results/guard.png)',
    ui.guards.length === 1 && ui.guards[0]!.includes('"guard-check.runbook.md" is a runbook, not an incident record') ? undefined
      : `questions answered: ${JSON.stringify(ui.guards)}`);
  driverCheck('Start Tabletop Drill asked which scenario to drill (test-results/drill-picker.png)',
    ui.drillPicks.length === 1 && ui.drillPicks[0]!.includes('cvd-incident-response/service-down') ? undefined
      : `scenario picks: ${JSON.stringify(ui.drillPicks)}`);
  driverCheck('Resolve asked for the summary, the impact and the root cause (test-results/resolve.png)',
    ui.resolveAnswers.length === 4 ? undefined : `answers: ${JSON.stringify(ui.resolveAnswers)}`);
  driverCheck('no variable prompt appeared while the tests ran (the drill passes its values to the runner)',
    ui.inputs.length || ui.quickPicks.length
      ? `input boxes answered with a made-up value: ${JSON.stringify(ui.inputs)}; quick picks dismissed: ${JSON.stringify(ui.quickPicks)}`
      : undefined);
  driverCheck(`an alert link's confirmation showed which labels fill which variables (${JSON.stringify(ALERT_LINK_LABELS)}) and was answered "Start Incident" (test-results/alert-link.png)`,
    alertLinkDialogProblem(ui, config.alertLink.runbook));
  if (!prometheus) console.log(`e2e: the PromQL chart check cannot run: ${prometheusSkipReason()}`);
  if (ui.otherDialogs.length) console.log(`e2e: other modal dialogs seen: ${JSON.stringify(ui.otherDialogs)}`);

  const uiCheck = async (name: string, failureShot: string, fn: () => Promise<void>) => {
    const t0 = Date.now();
    const r = await fn().then(
      () => undefined,
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    console.log(`${r === undefined ? '  ok  ' : '  FAIL'} ${name} (${Date.now() - t0} ms)`);
    if (r === undefined) passed++;
    else {
      failed++;
      console.log(indent(r));
      await page.screenshot({ path: path.join(OUT, failureShot) }).catch(() => undefined);
    }
  };

  // The notebook as a person sees it.
  await uiCheck(`${first} opens from quick open and renders its cells (test-results/notebook.png)`, 'notebook-failure.png', () =>
    notebookScreenshot(page, {
      fileName: first,
      expected: notebooks.find((n) => n.file === first)!.cells,
      out: path.join(OUT, 'notebook.png'),
    }));
  await uiCheck('Run All runs a bash cell on the local machine in a trusted workspace (test-results/run.png)', 'run-failure.png', () =>
    runAllRuns(page, 'run-check.runbook.md', trustedMarker, path.join(OUT, 'run.png')));
  // Ctrl+Enter, as the README says: a click into the code cell's text, the focus checked there, then the keys.
  await uiCheck('Ctrl+Enter in a cell editor runs the cell in code-server, as the README says (test-results/ctrl-enter.png)', 'ctrl-enter-failure.png', () =>
    ctrlEnterRuns(page, 'ctrl-enter-check.runbook.md', ctrlEnterMarker, path.join(OUT, 'ctrl-enter.png')));
  await uiCheck('notifications name their source "Runbook Notebooks", never "Null Extension Description" (test-results/notification.png)', 'notification-failure.png', async () => {
    const sources = await notificationSources(page, path.join(OUT, 'notification.png'));
    if (sources.some((t) => t.includes('Null Extension Description'))) throw new Error(`sources: ${JSON.stringify(sources)}`);
    if (!sources.some((t) => t.includes('Runbook Notebooks'))) throw new Error(`no notification from Runbook Notebooks: ${JSON.stringify(sources)}`);
  });
  await uiCheck('the exported PDF opens with the report and its log is legible (test-results/report-page-*.png)', 'pdf-failure.png', async () => {
    if (!existsSync(config.reportPdf)) throw new Error(`${config.reportPdf} was not exported`);
    for (const f of readdirSync(OUT).filter((x) => x.startsWith('report-page-'))) rmSync(path.join(OUT, f));
    execFileSync('pdftoppm', ['-png', '-r', '70', '-l', '3', config.reportPdf, path.join(OUT, 'report-page')]);
    const text = execFileSync('pdftotext', ['-l', '2', config.reportPdf, '-'], { encoding: 'utf8' });
    for (const want of ['Post-incident report', 'Timeline', 'Execution log', 'immediate-stabilization']) {
      if (!text.includes(want)) throw new Error(`the first two PDF pages lack ${JSON.stringify(want)}`);
    }
  });
  await runCleanups();
  await prometheus?.stop();

  // Restricted Mode: a second code-server with workspace trust on; the person answers "No, I don't trust".
  const restricted = await restrictedMode(base);
  passed += restricted.passed;
  failed += restricted.failed;

  if (failed && consoleErrors.length) {
    console.log('browser console errors:\n' + indent(consoleErrors.slice(0, 20).join('\n')));
  }
  if (!failed && !process.env.E2E_KEEP) rmSync(base, { recursive: true, force: true });
  console.log(`e2e: ${((Date.now() - started) / 1000).toFixed(1)} s; logs in test-results/code-server.log`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

async function restrictedMode(base: string): Promise<{ passed: number; failed: number }> {
  const ws = ensureDir(path.join(base, 'untrusted-workspace'));
  const marker = path.join(base, 'untrusted-run-marker');
  const drillMarker = path.join(base, 'untrusted-drill-marker');
  const file = path.join(ws, 'run-check.runbook.md');
  writeFileSync(file, runCheckRunbook(marker));
  for (const [rel, text] of Object.entries(refusalDrillFiles(drillMarker))) {
    mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
    writeFileSync(path.join(ws, rel), text, { mode: 0o755 });
  }
  const before = readFileSync(file);
  const extensionsDir = ensureDir(path.join(base, 'extensions-untrusted'));
  const userDataDir = ensureDir(path.join(base, 'user-data-untrusted'));
  installRunbookExtension(extensionsDir);
  writeUserSettings(userDataDir);
  const name = 'in Restricted Mode the runbook opens and Run All runs nothing (test-results/restricted.png)';
  const t0 = Date.now();
  let page: Page | undefined;
  try {
    const server = await startCodeServer({
      userDataDir, extensionsDir, folder: ws, disableWorkspaceTrust: false,
      logFile: path.join(OUT, 'code-server-untrusted.log'),
    });
    page = await openWorkbench(await launchBrowser(), workbenchUrl(server, ws));
    await chooseRestrictedMode(page);
    await runAllRefusedWhenUntrusted(page, 'run-check.runbook.md', marker, path.join(OUT, 'restricted.png'));
    if (!readFileSync(file).equals(before)) throw new Error('the runbook file changed in Restricted Mode');
    console.log(`  ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    console.log(`  FAIL ${name} (${Date.now() - t0} ms)`);
    console.log(indent(e instanceof Error ? e.message : String(e)));
    await page?.screenshot({ path: path.join(OUT, 'restricted-failure.png') }).catch(() => undefined);
    await runCleanups();
    return { passed: 0, failed: 2 };
  }
  // A path VS Code's own gate does not cover: the extension must refuse by itself (issue 16 point 2).
  const drillName = 'in Restricted Mode "Start Tabletop Drill" is refused by the extension itself, and the scenario\'s setup.sh does not run (test-results/restricted-drill.png)';
  const t1 = Date.now();
  try {
    await startDrillRefusedWhenUntrusted(page!, 'run-check.runbook.md', drillMarker, path.join(OUT, 'restricted-drill.png'));
    console.log(`  ok   ${drillName} (${Date.now() - t1} ms)`);
    return { passed: 2, failed: 0 };
  } catch (e) {
    console.log(`  FAIL ${drillName} (${Date.now() - t1} ms)`);
    console.log(indent(e instanceof Error ? e.message : String(e)));
    await page?.screenshot({ path: path.join(OUT, 'restricted-drill-failure.png') }).catch(() => undefined);
    return { passed: 1, failed: 1 };
  } finally {
    await runCleanups();
  }
}

async function waitForResults(file: string): Promise<E2eResults | undefined> {
  const deadline = Date.now() + RESULT_TIMEOUT_MS;
  let last: E2eResults | undefined;
  while (Date.now() < deadline) {
    if (existsSync(file)) {
      try {
        last = JSON.parse(readFileSync(file, 'utf8')) as E2eResults;
        if (last.done) return last;
      } catch {
        /* being written */
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return last;
}

function indent(s: string): string {
  return s.split('\n').map((l) => '        ' + l).join('\n');
}

main().then(
  (code) => process.exit(code),
  async (e: unknown) => {
    console.error('e2e: error:', e);
    await runCleanups();
    console.log('e2e: 0 passed, 1 failed');
    process.exit(1);
  },
);
