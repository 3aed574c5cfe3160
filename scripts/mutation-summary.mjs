// Summarises Stryker's JSON reports (reports/mutation/<group>.json) for docs/MUTATION.md: the score per file
// (killed + timed out over all valid mutants; compile errors excluded) and every surviving mutant.
// Usage: node scripts/mutation-summary.mjs [group...]
import { existsSync, readFileSync } from 'node:fs';

const groups = process.argv.slice(2).length ? process.argv.slice(2) : ['safety', 'stop', 'redact', 'log', 'format'];
for (const g of groups) {
  const file = `reports/mutation/${g}.json`;
  if (!existsSync(file)) {
    console.log(`## ${g}: not measured (no ${file})\n`);
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  console.log(`## ${g}\n`);
  console.log('| file | killed | timeout | survived | no coverage | compile errors | score |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  const survivors = [];
  let tk = 0, tv = 0;
  for (const [name, f] of Object.entries(report.files)) {
    const c = (s) => f.mutants.filter((m) => m.status === s).length;
    const killed = c('Killed'), timeout = c('Timeout'), survived = c('Survived'), none = c('NoCoverage');
    const valid = killed + timeout + survived + none;
    tk += killed + timeout;
    tv += valid;
    console.log(`| ${name} | ${killed} | ${timeout} | ${survived} | ${none} | ${c('CompileError')} | ${valid ? ((100 * (killed + timeout)) / valid).toFixed(1) : '–'}% |`);
    const lines = String(f.source ?? '').split('\n');
    for (const m of f.mutants.filter((x) => x.status === 'Survived' || x.status === 'NoCoverage')) {
      const { start, end } = m.location;
      const original = start.line === end.line ? (lines[start.line - 1] ?? '').slice(start.column - 1, end.column - 1) : `${(lines[start.line - 1] ?? '').slice(start.column - 1)}…`;
      const show = (t) => `\`${String(t).replace(/\n/g, ' ').replace(/`/g, "'").slice(0, 80)}\``;
      survivors.push(`- ${name}:${start.line}:${start.column} ${m.mutatorName}: ${show(original)} → ${show(m.replacement ?? '')} (${m.status})`);
    }
  }
  console.log(`| **total** | | | | | | **${tv ? ((100 * tk) / tv).toFixed(1) : '–'}%** |\n`);
  if (survivors.length) console.log(`Surviving mutants:\n\n${survivors.join('\n')}\n`);
}
