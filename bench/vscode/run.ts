// `npm run bench:vscode`: big incident records in a real VS Code (code-server + Chromium), side by side with
// the same content as .ipynb in VS Code's built-in ipynb editor (issue 17). Not part of `npm test`.
//   node --import tsx bench/vscode/run.ts [--strict] [filter]     filter: e.g. "3mb", "runbook" or "3mb+runbook"
// Env: BENCH_RUNS (3; medians are shown), BENCH_EXTENSION_DIR (bench another build of the extension instead
// of this one), BENCH_BEFORE_DIR (also bench that build, e.g. an older commit built into a folder, as
// "before"), BENCH_OUT (JSON results, default test-results/bench-vscode.json), BENCH_KEEP=1 (keep temp dirs).
// Each run starts a fresh code-server (fresh user data) on fresh copies of the files, so every open is a first
// open; the formats take turns within each run so that load from other processes hits them alike.
// The ipynb side has a kernel too: bench/vscode/nullKernel, which does no work (BENCH_IPYNB_NO_KERNEL=1: none).
// Its `echo hi` times what VS Code itself takes to show a cell done at each record size; the runbook's target
// is what our kernel adds to that. BENCH_IPYNB_BARE=1 adds VS Code's editor with no kernel ("ipynb-bare").
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  ROOT, installRunbookExtension, launchBrowser, openWorkbench, runCleanups, startCodeServer, workbenchUrl, writeUserSettings,
} from '../../test/e2e/codeServer.js';
import type { Page } from 'playwright-core';
import { FIXTURES, writeFixture, type Written } from './fixtures.js';
import { installNullKernel } from './session.js';
import { editAndSave, extensionHostRssMb, openNotebook, runEcho, runSlow, VSCODE_MIN_SPINNER_MS } from './workbench.js';

// ipynb: VS Code's editor with the null kernel (like for like: a runbook always has its kernel); ipynb-bare
// (BENCH_IPYNB_BARE=1): VS Code's editor with no kernel at all, as issue 17's first figures were taken.
type Format = 'runbook' | 'ipynb' | 'ipynb-bare' | 'before';
const FORMATS: Format[] = [
  ...(process.env.BENCH_IPYNB_BARE ? ['ipynb-bare' as const] : []), 'ipynb',
  ...(process.env.BENCH_BEFORE_DIR ? ['before' as const] : []), 'runbook',
];
const isIpynb = (f: Format) => f === 'ipynb' || f === 'ipynb-bare';

interface Sample {
  fixture: string;
  format: Format;
  openFirst: number;
  openLast: number;
  save: number;
  runOutput?: number;
  runDone?: number;
  /** The spinner appeared (VS Code then shows it at least 500 ms). */
  runRunning?: number;
  runSaved?: number;
  /** When `echo hi` was started (ms since the epoch), to place the perf log's lines (BENCH_KEEP keeps it). */
  runAt?: number;
  /** `sleep 1; echo slow` in the same cell: output shown, done (no VS Code minimum in the way). */
  slowOutput?: number;
  slowDone?: number;
  rssMb?: number;
  /** The save did not finish within this many ms (`save` is Infinity). */
  saveTimedOut?: number;
  /** /proc/loadavg (1, 5, 15 min) when the run started: the machine is shared. */
  load?: string;
  /** Time (ms) our code spent per phase and perf label (RUNBOOK_PERF_LOG lines of the extension and server). */
  ours?: Record<string, Record<string, { ms: number; count: number; detail: string }>>;
}

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const NULL_KERNEL = !process.env.BENCH_IPYNB_NO_KERNEL;
// The 10 MB record takes minutes per run on a loaded 2-core machine: fewer runs, longer timeouts.
const RUNS_10MB = Number(process.env.BENCH_RUNS_10MB ?? 1);
const runsOf = (w: Written) => (w.fixture.name === '10mb' ? RUNS_10MB : RUNS);
const timeoutOf = (w: Written) => (w.fixture.name === '10mb' ? Number(process.env.BENCH_TIMEOUT_10MB_MS ?? 900_000) : Number(process.env.BENCH_TIMEOUT_MS ?? 180_000));
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
let failures = 0;
let exitCode = 0;
const OUT = process.env.BENCH_OUT ?? path.join(ROOT, 'test-results', 'bench-vscode.json');
// A filter names fixtures and/or formats, several joined by `+` ("3mb+runbook": the 3 MB record, runbook only).
const ARGS = process.argv.slice(2);
// --strict: the exit code is 1 on any missed target too (always on a run that failed).
const STRICT = ARGS.includes('--strict');
const FILTER = ARGS.find((a) => !a.startsWith('--'))?.split('+');
const FIXTURE_NAMES = new Set(FIXTURES.map((f) => f.name));
const wantsFixture = (name: string) => !FILTER?.some((x) => FIXTURE_NAMES.has(x)) || FILTER.includes(name);
const wantsFormat = (format: string) => !FILTER?.some((x) => !FIXTURE_NAMES.has(x)) || FILTER.includes(format);

async function once(ws: string, w: Written, format: Format): Promise<Sample> {
  const base = mkdtempSync(path.join(tmpdir(), 'bench-vscode-'));
  const userData = path.join(base, 'user-data');
  const extensions = path.join(base, 'extensions');
  // VS Code asks before opening a notebook over 10 MB ("Open Anyway"): the bench opens it anyway.
  writeUserSettings(userData, { 'security.workspace.trust.enabled': false, 'workbench.editorLargeFileConfirmation': 1024 });
  mkdirSync(extensions, { recursive: true });
  // The ipynb side runs in a VS Code without our extension (VS Code's own figures), unless
  // BENCH_IPYNB_WITH_EXTENSION asks what having it installed costs VS Code's own editor.
  if (format === 'runbook' || process.env.BENCH_IPYNB_WITH_EXTENSION) installRunbookExtension(extensions, process.env.BENCH_EXTENSION_DIR ?? ROOT);
  if (format === 'before') installRunbookExtension(extensions, process.env.BENCH_BEFORE_DIR);
  if (format === 'ipynb' && NULL_KERNEL) installNullKernel(extensions);
  // Fresh copies: an earlier run edited, ran and saved them. A run journal an earlier run left beside a record
  // (code-server stopped between a run and its save) would be merged back into the fresh copy at open.
  for (const f of readdirSync(ws)) if (f.endsWith('.journal')) rmSync(path.join(ws, f), { force: true });
  cpSync(w.runbook, path.join(ws, path.basename(w.runbook)));
  cpSync(w.ipynb, path.join(ws, path.basename(w.ipynb)));
  const perf = path.join(base, 'perf.log');
  const server = await startCodeServer({
    userDataDir: userData, extensionsDir: extensions, folder: ws, disableWorkspaceTrust: true, logFile: path.join(base, 'code-server.log'),
    env: { RUNBOOK_PERF_LOG: perf, ...(process.env.RUNBOOK_TEST_SAVE_DELAY_MS ? { RUNBOOK_TEST_SAVE_DELAY_MS: process.env.RUNBOOK_TEST_SAVE_DELAY_MS } : {}) },
  });
  try {
    const browser = await launchBrowser();
    const page = await openWorkbench(browser, workbenchUrl(server, ws));
    try {
      const sample = await measure(page, ws, w, format, server.proc.pid!);
      if (sample.phases) sample.ours = oursByPhase(perf, sample.phases);
      delete sample.phases;
      return sample;
    } catch (e) {
      const shot = path.join(ROOT, 'test-results', `bench-vscode-${w.fixture.name}-${format}-failed.png`);
      await page.screenshot({ path: shot }).catch(() => undefined);
      throw new Error(`${w.fixture.name} ${format}: ${String(e)} (screenshot ${shot}, log ${path.join(base, "code-server.log")})`, { cause: e });
    } finally {
      await browser.close();
    }
  } finally {
    await server.stop();
    if (!process.env.BENCH_KEEP) rmSync(base, { recursive: true, force: true });
  }
}

async function measure(page: Page, ws: string, w: Written, format: Format, group: number): Promise<Sample & { phases?: Phases }> {
  {
    const phases: Phases = { open: [Date.now(), 0], save: [0, 0], run: [0, 0] };
    // Let the workbench finish starting (extension host, explorer) before timing anything.
    await page.waitForTimeout(4000);
    const file = path.join(ws, path.basename(isIpynb(format) ? w.ipynb : w.runbook));
    const load = loadavg();
    const open = await openNotebook(page, path.basename(file), timeoutOf(w));
    await page.waitForTimeout(1500);
    const rssMb = extensionHostRssMb(group);
    phases.open[1] = phases.save[0] = Date.now();
    // A save that does not finish in time (VS Code's ipynb editor at 10 MB) counts as the timeout, marked as
    // such; the open figures of the run are kept.
    let saveTimedOut = false;
    const save = await editAndSave(page, file, timeoutOf(w)).catch((e: unknown) => {
      if (!/timed out/.test(String(e))) throw e;
      saveTimedOut = true;
      return Infinity;
    });
    await page.waitForTimeout(1000);
    phases.save[1] = phases.run[0] = Date.now();
    const sample: Sample & { phases?: Phases } = { fixture: w.fixture.name, format, openFirst: open.first, openLast: open.last, save, rssMb, load, phases };
    if (saveTimedOut) sample.saveTimedOut = timeoutOf(w);
    if (format !== 'ipynb-bare' && (format !== 'ipynb' || NULL_KERNEL) && !saveTimedOut) {
      const record = !isIpynb(format);
      const run = await runEcho(page, file, timeoutOf(w), record);
      Object.assign(sample, { runOutput: run.output, runDone: run.done, runRunning: run.running, runSaved: run.saved, runAt: run.at });
      const slow = await runSlow(page, file, timeoutOf(w), record);
      Object.assign(sample, { slowOutput: slow.output, slowDone: slow.done });
    }
    phases.run[1] = Date.now();
    return sample;
  }
}

type Phases = Record<'open' | 'save' | 'run', [number, number]>;

function oursByPhase(file: string, phases: Phases): Sample['ours'] {
  const out: NonNullable<Sample['ours']> = {};
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  for (const line of text.split('\n')) {
    const m = /^(\d+) (\S+) ([\d.]+) ?(.*)$/.exec(line);
    if (!m) continue;
    const at = Number(m[1]);
    const phase = (Object.keys(phases) as (keyof Phases)[]).find((p) => at >= phases[p][0] && at <= phases[p][1]) ?? 'startup';
    const slot = ((out[phase] ??= {})[m[2]!] ??= { ms: 0, count: 0, detail: '' });
    slot.ms += Number(m[3]);
    slot.count++;
    slot.detail = m[4] ?? '';
  }
  return out;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function fmt(ms: number | undefined): string {
  if (ms === Infinity) return 'did not finish (timeout)';
  return ms === undefined || Number.isNaN(ms) ? '–' : `${(ms / 1000).toFixed(2)} s`;
}

/** Which build a folder holds: what ships is the production build (`vsce package` runs it, see package.json). */
function buildOf(dir: string): string {
  const main = path.join(dir, 'dist', 'extension.js');
  if (!existsSync(main)) return `${dir}: no dist/extension.js`;
  const production = !readFileSync(main, 'utf8').trimEnd().split('\n').at(-1)!.startsWith('//# sourceMappingURL');
  return `${dir}: ${production ? 'production build (minified, what ships)' : 'development build (source maps; `node scripts/build.mjs --production` builds what ships)'}`;
}

async function main(): Promise<void> {
  console.log(`runbook: ${buildOf(process.env.BENCH_EXTENSION_DIR ?? ROOT)}`);
  if (process.env.BENCH_BEFORE_DIR) console.log(`before: ${buildOf(process.env.BENCH_BEFORE_DIR)}`);
  mkdirSync(path.dirname(OUT), { recursive: true });
  rmSync(`${OUT}l`, { force: true });
  const ws = mkdtempSync(path.join(tmpdir(), 'bench-vscode-ws-'));
  const pristine = mkdtempSync(path.join(tmpdir(), 'bench-vscode-fixtures-'));
  const samples: Sample[] = [];
  const written: Written[] = [];
  for (const f of FIXTURES) {
    if (!wantsFixture(f.name)) continue;
    const w = writeFixture(pristine, f);
    written.push(w);
    console.log(`${f.name}: ${w.cells} cells, ${w.outputs} outputs, ${w.logRows} log rows; runbook ${(w.runbookBytes / 1e6).toFixed(2)} MB, ipynb ${(w.ipynbBytes / 1e6).toFixed(2)} MB`);
  }
  for (const w of written) {
    for (let i = 0; i < runsOf(w); i++) {
      for (const format of FORMATS) {
        if (!wantsFormat(format)) continue;
        const s = await once(ws, w, format).catch((e: unknown) => {
          console.log(`  ${w.fixture.name} ${format} #${i + 1}: FAIL ${String(e)}`);
          failures++;
          return undefined;
        });
        if (!s) continue;
        samples.push(s);
        appendFileSync(`${OUT}l`, JSON.stringify(s) + '\n');
        console.log(`  ${w.fixture.name} ${format} #${i + 1}: open ${fmt(s.openFirst)} / last ${fmt(s.openLast)}, save ${fmt(s.save)}`
          + (s.runDone !== undefined ? `, echo hi: output ${fmt(s.runOutput)} spinner ${fmt(s.runRunning)} done ${fmt(s.runDone)} saved ${fmt(s.runSaved)}` : '')
          + (s.slowDone !== undefined ? `, sleep 1: output ${fmt(s.slowOutput)} done ${fmt(s.slowDone)}` : '')
          + `, ext host ${s.rssMb ?? '?'} MB (load ${s.load})`);
      }
    }
  }
  const out = OUT;
  writeFileSync(out, JSON.stringify({ runs: RUNS, runs10mb: RUNS_10MB, extension: process.env.BENCH_EXTENSION_DIR ?? ROOT, samples }, null, 2));
  console.log(`\nMedians of ${RUNS} runs, ${RUNS_10MB} for 10 MB (${out}):\n`);
  console.log('| record | format | open: first cell | open: last cell | save after 1 edit | echo hi: output | echo hi: done | done − output | done − (spinner + 500 ms) | `sleep 1`: done − output | record saved | ext host RSS | load at start |');
  console.log('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|');
  const verdicts: string[] = [];
  const byFixture = new Map<string, Partial<Record<Format, Record<string, number>>>>();
  for (const w of written) {
    const m: Partial<Record<Format, Record<string, number>>> = {};
    byFixture.set(w.fixture.name, m);
    for (const format of FORMATS) {
      const ss = samples.filter((s) => s.fixture === w.fixture.name && s.format === format);
      if (!ss.length) continue;
      const med = (k: keyof Sample) => median(ss.map((s) => s[k] as number).filter((v) => typeof v === 'number'));
      const gapOf = (f: (s: Sample) => number | undefined) => median(ss.map(f).filter((v): v is number => typeof v === 'number' && !Number.isNaN(v)));
      const r = {
        openFirst: med('openFirst'), openLast: med('openLast'), save: med('save'), runOutput: med('runOutput'), runDone: med('runDone'), runSaved: med('runSaved'), rss: med('rssMb'),
        gap: gapOf((s) => (s.runDone === undefined ? undefined : s.runDone - s.runOutput!)),
        // How much later than both its output and VS Code's spinner minimum the ✓ came: the extension's share.
        gapPastFloor: gapOf((s) => (s.runDone === undefined || !s.runRunning ? undefined : s.runDone - Math.max(s.runOutput!, s.runRunning + VSCODE_MIN_SPINNER_MS))),
        slowGap: gapOf((s) => (s.slowDone === undefined ? undefined : s.slowDone - s.slowOutput!)),
      };
      m[format] = r;
      const ms = (v: number) => (Number.isNaN(v) ? '–' : `${Math.round(v)} ms`);
      console.log(`| ${w.fixture.name} | ${format} | ${fmt(r.openFirst)} | ${fmt(r.openLast)} | ${fmt(r.save)} | ${fmt(r.runOutput)} | ${fmt(r.runDone)} | ${ms(r.gap)} | ${ms(r.gapPastFloor)} | ${ms(r.slowGap)} | ${fmt(r.runSaved)} | ${Number.isNaN(r.rss) ? '–' : `${r.rss} MB`} | ${ss.map((s) => s.load?.split(' ')[0] ?? '?').join(', ')} |`);
    }
    const nb = m.ipynb;
    for (const variant of ['before', 'runbook'] as const) {
      const rb = m[variant];
      if (rb && nb) {
        for (const k of ['openFirst', 'openLast', 'save'] as const) {
          const ratio = rb[k]! / nb[k]!;
          const x = nb[k] === Infinity ? `ipynb did not finish within ${timeoutOf(w) / 1000} s` : `${ratio.toFixed(2)}x ipynb${NULL_KERNEL ? ' (null kernel)' : ''}`;
          // The control record is there for the ✓; the targets are the big records'.
          const verdict = w.fixture.name === 'small' ? '(control, no target)' : ratio <= 1 ? 'ok' : 'MISS (target ≤ 1.0x)';
          verdicts.push(`${w.fixture.name} ${variant} ${k}: ${x} ${verdict}`);
        }
      }
      const bare = m['ipynb-bare'];
      if (rb && bare) {
        for (const k of ['openFirst', 'openLast', 'save'] as const) {
          verdicts.push(`${w.fixture.name} ${variant} ${k}: ${(rb[k]! / bare[k]!).toFixed(2)}x ipynb without a kernel (for reading: the target is held against ipynb with the null kernel)`);
        }
      }
      if (rb && !Number.isNaN(rb.gap!)) {
        // VS Code keeps a cell's spinner at least 500 ms: for `echo hi` the ✓ cannot come earlier than that,
        // so the figure is taken past that floor. What VS Code itself takes past it at the same record size is
        // the null kernel's figure in the ipynb editor (a kernel that does no work): the target is what our
        // kernel adds to that. Without the null kernel's figure, the figure itself is held to the target.
        const line = `${w.fixture.name} ${variant} echo hi: done − output shown ${Math.round(rb.gap!)} ms; done − later of (output, spinner + ${VSCODE_MIN_SPINNER_MS} ms) ${Math.round(rb.gapPastFloor!)} ms`;
        const own = nb?.gapPastFloor;
        if (own !== undefined && !Number.isNaN(own)) {
          const added = rb.gapPastFloor! - own;
          verdicts.push(`${line}; VS Code's own (null kernel, ipynb editor) ${Math.round(own)} ms: ours adds ${Math.round(added)} ms ${added <= 100 ? 'ok' : 'MISS (target ≤ 100 ms)'}`);
        } else {
          verdicts.push(`${line} ${rb.gapPastFloor! <= 100 ? 'ok' : 'MISS (target ≤ 100 ms)'}`);
        }
        // For reading the figures: what the record's size adds to the 24 KB control's ✓ (VS Code's share and ours).
        const control = byFixture.get('small')?.[variant]?.gapPastFloor;
        if (w.fixture.name !== 'small' && control !== undefined && !Number.isNaN(control)) {
          verdicts.push(`${w.fixture.name} ${variant} echo hi: the record's size adds ${Math.round(rb.gapPastFloor! - control)} ms to the ✓ of the 24 KB control (${Math.round(control)} ms past the floor there; VS Code's and ours together)`);
        }
      }
      if (rb && !Number.isNaN(rb.slowGap!)) {
        const own = nb && !Number.isNaN(nb.slowGap!) ? ` (VS Code's own, null kernel: ${Math.round(nb.slowGap!)} ms)` : '';
        verdicts.push(`${w.fixture.name} ${variant} sleep 1: done − output shown ${Math.round(rb.slowGap!)} ms${own} ${rb.slowGap! <= 100 ? 'ok' : 'MISS (target ≤ 100 ms)'}`);
      }
    }
  }
  console.log('\n' + verdicts.join('\n'));
  const misses = verdicts.filter((v) => v.includes('MISS')).length;
  exitCode = failures > 0 || (STRICT && misses > 0) ? 1 : 0;
  console.log(`\n${failures} run(s) failed, ${misses} target(s) missed${exitCode ? ' — exit 1' : ''}${!STRICT && misses ? ' (misses fail the run only with --strict)' : ''}`);
  console.log('\nOur code inside VS Code (medians; RUNBOOK_PERF_LOG; the rest of each figure is VS Code\'s own work):\n');
  console.log('| record | build | phase | part | ms | calls | last detail |');
  console.log('|---|---|---|---|--:|--:|---|');
  for (const w of written) for (const format of FORMATS.filter((f) => !isIpynb(f))) {
    const ss = samples.filter((s) => s.fixture === w.fixture.name && s.format === format && s.ours);
    const keys = new Set(ss.flatMap((s) => Object.entries(s.ours!).flatMap(([p, parts]) => Object.keys(parts).map((k) => `${p}\t${k}`))));
    for (const key of [...keys].sort()) {
      const [phase, part] = key.split('\t') as [string, string];
      const xs = ss.map((s) => s.ours![phase]?.[part]);
      const ms = median(xs.map((x) => x?.ms ?? 0));
      const calls = median(xs.map((x) => x?.count ?? 0));
      console.log(`| ${w.fixture.name} | ${format} | ${phase} | ${part} | ${Math.round(ms)} | ${calls} | ${xs.find((x) => x)?.detail ?? ''} |`);
    }
  }
}

main().then(() => runCleanups()).then(() => process.exit(exitCode), async (e: unknown) => {
  console.error(e);
  await runCleanups();
  process.exit(1);
});
