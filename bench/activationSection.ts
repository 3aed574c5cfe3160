// Benchmark: what starting costs (issue 10 §6). Requiring the extension bundle (what VS Code does before
// calling activate) vs requiring a trivial module, each in a fresh Node process; and `runbook roundtrip FILE`
// vs a bare `node -e 0`. The heavy libraries (ssh2, pg, mysql2, markdown-it, yaml, execa, the language client)
// are separate files in dist/vendor/ and must stay unloaded: a check proves it. The require's CPU time is
// shown too: on a machine busy with other work the wall time grows, the CPU time much less.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { median, timeAsync, type BenchRow, type BenchSection, type SectionResult } from './lib.js';

const ROOT = path.resolve(__dirname, '..');
const SAMPLE = path.join(ROOT, 'samples', 'sme-erp-incident-response.runbook.md');

/** Requires `file` in a fresh Node with a stub `vscode` module; returns the require time (ms) and what loaded. */
const PROBE = `
const Module = require('module');
const load = Module._load;
const stub = new Proxy(function () {}, { get: (t, p) => (p === 'prototype' ? {} : stub), construct: () => stub, apply: () => stub });
Module._load = function (request, ...rest) { return request === 'vscode' ? stub : load.call(this, request, ...rest); };
const t0 = process.hrtime.bigint();
const c0 = process.cpuUsage();
require(process.argv[1]);
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
const c = process.cpuUsage(c0);
const vendor = Object.keys(require.cache).filter((f) => f.includes('/dist/vendor/')).map((f) => f.split('/').pop());
console.log(JSON.stringify({ ms, cpuMs: (c.user + c.system) / 1000, vendor }));
`;

function probe(file: string): { ms: number; cpuMs: number; vendor: string[] } {
  return JSON.parse(execFileSync(process.execPath, ['-e', PROBE, file], { encoding: 'utf8' })) as { ms: number; cpuMs: number; vendor: string[] };
}

function runs(n: number, fn: () => number): { ms: number; all: number[] } {
  const all = Array.from({ length: n }, fn);
  return { ms: median(all), all };
}

function spawnMs(args: string[]): Promise<number> {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
  return Promise.resolve(Number(process.hrtime.bigint() - t0) / 1e6);
}

/** The dist/vendor files `runbook roundtrip FILE` loads (a preload lists require.cache at exit). */
function cliVendorLoads(dir: string): string[] {
  const preload = path.join(dir, 'vendor-probe.js');
  writeFileSync(preload, "process.on('exit', () => { process.stderr.write('VENDOR ' + JSON.stringify(Object.keys(require.cache).filter((f) => f.includes('/dist/vendor/')).map((f) => f.split('/').pop())) + '\\n'); });\n");
  const r = spawnSync(process.execPath, ['--require', preload, path.join(ROOT, 'dist', 'cli.js'), 'roundtrip', SAMPLE], { encoding: 'utf8' });
  const line = /VENDOR (.*)/.exec(r.stderr)?.[1];
  return line ? JSON.parse(line) as string[] : ['(probe printed nothing)'];
}

function build(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'ignore' });
}

export const extensionLoadSection: BenchSection = {
  title: 'Activation: loading the extension bundle vs a trivial module (fresh process each)',
  run(options): SectionResult {
    build();
    const dir = mkdtempSync(path.join(tmpdir(), 'runbook-bench-'));
    try {
      const trivial = path.join(dir, 'trivial.js');
      writeFileSync(trivial, 'module.exports = {};\n');
      const n = Math.max(5, options.runs);
      let vendor: string[] = [];
      const cpu = { ext: [] as number[], triv: [] as number[] };
      const ext = runs(n, () => { const p = probe(path.join(ROOT, 'dist', 'extension.js')); vendor = p.vendor; cpu.ext.push(p.cpuMs); return p.ms; });
      const triv = runs(n, () => { const p = probe(trivial); cpu.triv.push(p.cpuMs); return p.ms; });
      const what = (file: string) => `in a fresh Node (vscode stubbed): require(${file}), from the call to its return (parse, compile, evaluate the module)`;
      const rows: BenchRow[] = [
        { name: 'require a trivial module', ms: triv.ms, bytes: 0, all: triv.all, note: '(reference)', measures: what('a one-line module') },
        { name: 'require dist/extension.js', ms: ext.ms, bytes: 0, all: ext.all, measures: what('dist/extension.js') },
      ];
      return {
        rows,
        reference: rows[0]!.name,
        targets: [{ name: 'loading the extension bundle costs at most 60 ms more than a trivial module', row: rows[1]!.name, maxRatio: Infinity, maxExtraMs: 60 }],
        checks: [
          { name: 'no vendored library (ssh2, pg, mysql2, markdown-it, yaml, execa, language client) loads with the bundle', ok: vendor.length === 0, detail: vendor.join(', ') || 'none' },
        ],
        notes: [
          `CPU time of the same requires (median): extension ${median(cpu.ext).toFixed(1)} ms, trivial module ${median(cpu.triv).toFixed(1)} ms`,
          'the bundle keeps zod\'s mini build (front matter schemas, about 60 KB); yaml and execa load on first use',
        ],
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export const cliStartSection: BenchSection = {
  title: 'CLI start: `runbook roundtrip FILE` vs `node -e 0`',
  async run(options): Promise<SectionResult> {
    build();
    const opts = { warmup: 1, runs: Math.max(5, options.runs) };
    const bare = await timeAsync(() => spawnMs(['-e', '0']), opts);
    const roundtrip = await timeAsync(() => spawnMs([path.join(ROOT, 'dist', 'cli.js'), 'roundtrip', SAMPLE]), opts);
    const dir = mkdtempSync(path.join(tmpdir(), 'runbook-bench-'));
    let vendor: string[];
    try {
      vendor = cliVendorLoads(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const rows: BenchRow[] = [
      { name: 'node -e 0', ms: bare.ms, bytes: 0, all: bare.all, note: '(reference)', measures: 'whole process: start Node, evaluate `0`, exit' },
      { name: 'runbook roundtrip FILE', ms: roundtrip.ms, bytes: 0, all: roundtrip.all,
        measures: `whole process: start Node, load dist/cli.js, read ${path.basename(SAMPLE)}, parse, serialize, compare, print ok, exit` },
    ];
    return {
      rows,
      reference: rows[0]!.name,
      targets: [{ name: '`runbook roundtrip FILE` at most 2x `node -e 0`', row: rows[1]!.name, maxRatio: 2 }],
      checks: [{ name: '`runbook roundtrip` loads no driver (dist/vendor)', ok: vendor.length === 0, detail: vendor.join(', ') || 'none' }],
      notes: [],
    };
  },
};
