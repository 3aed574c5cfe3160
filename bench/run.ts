// Benchmarks: `npm run bench` (node --import tsx bench/run.ts [section-title-filter]).
// Each section lives in its own file under bench/ and is listed below; add new ones to SECTIONS.
// Misses are printed, never turned into a failing exit code: benchmarks are not timed tests.
import { cliStartSection, extensionLoadSection } from './activationSection.js';
import { fleetSection } from './fleetSection.js';
import { formatSection } from './formatSection.js';
import { shellSection } from './shellSection.js';
import { sshSection } from './sshSection.js';
import { httpBenchSection, sqlBenchSection } from './sqlHttpSection.js';
import { printSection, type BenchOptions, type BenchSection } from './lib.js';

const SECTIONS: BenchSection[] = [
  formatSection,
  shellSection,
  sshSection,
  sqlBenchSection, httpBenchSection,
  fleetSection,
  extensionLoadSection, cliStartSection,
];

async function main(): Promise<void> {
  const filter = process.argv[2]?.toLowerCase();
  const options: BenchOptions = {
    warmup: Number(process.env.BENCH_WARMUP ?? 3),
    runs: Number(process.env.BENCH_RUNS ?? 7),
  };
  console.log(`Runbook Notebooks benchmarks — node ${process.version}, ${process.platform}/${process.arch}`);
  const summary: string[] = [];
  for (const section of SECTIONS) {
    if (filter && !section.title.toLowerCase().includes(filter)) continue;
    const result = await section.run(options);
    const pass = printSection(section.title, result);
    const checksOk = result.checks.every((c) => c.ok);
    summary.push(`${pass ? 'PASS' : 'MISS'}${checksOk ? '' : ' (CHECKS FAILED)'}  ${section.title}`);
  }
  const peak = process.resourceUsage().maxRSS / 1024;
  console.log(`\nPeak RSS of the whole run: ${peak.toFixed(0)} MB`);
  console.log('\nSummary:');
  for (const s of summary) console.log(`  ${s}`);
}

void main();
