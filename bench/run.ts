// Benchmarks: `npm run bench [-- --strict] [section-title-filter]` (node --import tsx bench/run.ts ...).
// Each section lives in its own file under bench/ and is listed below; add new ones to SECTIONS.
// Every section ends PASS, MISS (a target missed) or FAIL (it crashed, a check failed, or it has no target,
// or a compared row does not say what it measures). The exit code is 1 on any FAIL, and with --strict also
// on any MISS: benchmarks are not timed tests, so misses alone do not fail a plain run.
import { cliStartSection, extensionLoadSection } from './activationSection.js';
import { fleetSection } from './fleetSection.js';
import { formatSection } from './formatSection.js';
import { shellSection } from './shellSection.js';
import { sshSection } from './sshSection.js';
import { httpBenchSection, sqlBenchSection } from './sqlHttpSection.js';
import { printSection, verdictOf, type BenchOptions, type BenchSection, type SectionResult } from './lib.js';

const SECTIONS: BenchSection[] = [
  formatSection,
  shellSection,
  sshSection,
  sqlBenchSection, httpBenchSection,
  fleetSection,
  extensionLoadSection, cliStartSection,
];

async function runSection(section: BenchSection, options: BenchOptions): Promise<SectionResult> {
  try {
    return await section.run(options);
  } catch (err) {
    const message = (err as Error)?.stack ?? String(err);
    return { rows: [], reference: '', targets: [], checks: [{ name: 'the section ran', ok: false, detail: message.split('\n').slice(0, 3).join(' | ') }], notes: [] };
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const strict = args.includes('--strict');
  const filter = args.find((a) => !a.startsWith('--'))?.toLowerCase();
  const options: BenchOptions = {
    warmup: Number(process.env.BENCH_WARMUP ?? 3),
    runs: Number(process.env.BENCH_RUNS ?? 7),
  };
  console.log(`Runbook Notebooks benchmarks — node ${process.version}, ${process.platform}/${process.arch}${strict ? ' (--strict)' : ''}`);
  const summary: string[] = [];
  let fails = 0;
  let misses = 0;
  for (const section of SECTIONS) {
    if (filter && !section.title.toLowerCase().includes(filter)) continue;
    const result = await runSection(section, options);
    printSection(section.title, result);
    const { verdict, reasons } = verdictOf(result);
    if (verdict === 'FAIL') fails++;
    if (verdict === 'MISS') misses++;
    console.log(`\n${verdict}  ${section.title}`);
    for (const r of reasons) console.log(`  ${r}`);
    summary.push(`${verdict}  ${section.title}${reasons.length ? `\n        ${reasons.join('\n        ')}` : ''}`);
  }
  if (!summary.length) {
    console.log(`\nno section matches "${filter}"`);
    return 1;
  }
  const peak = process.resourceUsage().maxRSS / 1024;
  console.log(`\nPeak RSS of the whole run: ${peak.toFixed(0)} MB`);
  console.log('\nSummary:');
  for (const s of summary) console.log(`  ${s}`);
  const failed = fails > 0 || (strict && misses > 0);
  console.log(`\n${summary.length} section(s): ${summary.length - fails - misses} PASS, ${misses} MISS, ${fails} FAIL` +
    `${failed ? ' — exit 1' : ''}${!strict && misses ? ' (misses fail the run only with --strict)' : ''}`);
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code), (err) => {
  console.error(err);
  process.exit(1);
});
