// A large, deterministic runbook for benchmarks: front matter, prose (headings, lists, tables, links),
// code cells (bash/sql/http/yaml with attributes), output blocks (some several KB) and an execution log.

export interface GeneratedRunbook {
  text: string;
  codeCells: number;
  outputs: number;
  logRows: number;
}

/** Small seeded PRNG (mulberry32) so every run benchmarks the same bytes. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ('the service disk queue restart primary replica latency error budget alert pager host deploy rollback ' +
  'config cache index vacuum connection pool timeout retry upstream gateway certificate rotate drain node cluster ' +
  'backup snapshot journal metric threshold incident commander customer impact mitigation verify').split(' ');

export function generateRunbook(options: { cells?: number; targetBytes?: number; seed?: number } = {}): GeneratedRunbook {
  const cells = options.cells ?? 2000;
  const targetBytes = options.targetBytes ?? 10 * 1024 * 1024;
  // Two passes: the second scales the output sizes so the text lands near targetBytes.
  const first = build(cells, 3000, options.seed ?? 42);
  const rest = first.text.length - first.outputBytes;
  const budget = Math.max(200, Math.round(3000 * (targetBytes - rest) / Math.max(1, first.outputBytes)));
  const result = build(cells, budget, options.seed ?? 42);
  return { text: result.text, codeCells: result.codeCells, outputs: result.outputs, logRows: result.logRows };
}

function build(cells: number, outputBudget: number, seed: number): GeneratedRunbook & { outputBytes: number } {
  const rand = rng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const words = (n: number): string => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const sentence = (): string => {
    const s = words(int(6, 16));
    const r = rand();
    const decorated = r < 0.2 ? `${s} \`${pick(WORDS)}-${int(1, 99)}\`` : r < 0.35 ? `${s} ([runbook](https://wiki.example.com/${pick(WORDS)}/${int(1, 999)}))`
      : r < 0.45 ? `**${s}**` : s;
    return decorated[0]!.toUpperCase() + decorated.slice(1) + '.';
  };
  const paragraph = (): string => Array.from({ length: int(2, 6) }, sentence).join(' ');


  const out: string[] = [];
  out.push('---', 'title: Benchmark incident response', 'hosts:', '  cvd-prod: { ssh: deploy@10.0.0.5, port: 22, jump: bastion }',
    '  db-1: { ssh: ops@10.0.0.9 }', 'connections:', '  cvd-db: { driver: sqlite, path: /opt/cvd/data/cvd.db, host: cvd-prod }',
    '  erp: { driver: postgres, url: "postgres://ops@localhost:5432/sme_erp", host: db-1 }', 'variables:',
    '  SERVICE_NAME: { default: cvd }', 'severity: { P0: 15m, P1: 1h, P2: 4h }',
    'incident: { id: CVD-20261123-0512, severity: P0, status: open, started: 2026-11-23T05:12:00Z, commander: alice }', '---', '');
  out.push('# Benchmark incident response', '', paragraph(), '');

  let outputs = 0;
  let outputBytes = 0;
  for (let i = 0; i < cells; i++) {
    if (i % 10 === 0) out.push(`## Phase ${i / 10 + 1}: ${words(3)}`, '');
    out.push(`### Step ${i + 1}: ${words(int(2, 5))}`, '', paragraph(), '');
    const r = rand();
    if (r < 0.3) {
      for (let k = int(3, 6); k > 0; k--) out.push(`- ${sentence()}`);
      out.push('');
    } else if (r < 0.45) {
      out.push('| Check | Expected | Link |', '|---|---|---|');
      for (let k = int(3, 6); k > 0; k--) out.push(`| ${words(2)} | \`${words(1)}\` | [doc](https://wiki.example.com/${int(1, 999)}) |`);
      out.push('');
    } else if (r < 0.55) {
      out.push(`1. ${sentence()}`, `2. ${sentence()}`, '   - nested: ' + words(5), '');
    }
    out.push(paragraph(), '');

    const name = `step-${i + 1}`;
    const kind = i % 4;
    const json = i % 7 === 0;
    const attrs = (extra: string): string => (json ? `{"name":"${name}"${extra ? ',' + extra : ''}}` : `{name=${name}${extra ? ' ' + extra : ''}}`);
    if (kind === 0) {
      out.push('```bash ' + attrs(json ? '"host":"cvd-prod","timeout":"30s"' : 'host=cvd-prod timeout=30s'));
      for (let k = int(3, 12); k > 0; k--) out.push(`${pick(['systemctl status', 'journalctl -u', 'df -h', 'ls -la', 'curl -sf'])} ${pick(WORDS)} | grep ${pick(WORDS)} # ${words(3)}`);
      out.push('```');
    } else if (kind === 1) {
      out.push('```sql ' + attrs(json ? '"connection":"erp"' : 'connection=erp'));
      out.push(`SELECT id, ${pick(WORDS)}, ${pick(WORDS)}, created_at`, `  FROM ${pick(WORDS)}_${pick(WORDS)}`,
        `  WHERE ${pick(WORDS)} > now() - interval '${int(1, 60)} minutes'`, `  ORDER BY created_at DESC LIMIT ${int(10, 100)};`);
      out.push('```');
    } else if (kind === 2) {
      out.push('```http ' + attrs(''));
      out.push(`POST https://api.example.com/v1/${pick(WORDS)}/${int(1, 999)}`, 'Content-Type: application/json',
        'Authorization: Bearer {{TOKEN}}', '', `{"action": "${pick(WORDS)}", "reason": "${words(4)}"}`, '', '###', '',
        `GET https://api.example.com/v1/${pick(WORDS)}`);
      out.push('```');
    } else {
      out.push('```yaml');
      for (let k = int(4, 10); k > 0; k--) out.push(`${'  '.repeat(k % 3)}${pick(WORDS)}: ${pick(WORDS)}-${int(1, 9)}`);
      out.push('```');
    }
    out.push('');

    if (kind !== 3 && rand() < 0.8) {
      const big = i % 10 === 0;
      const budget = big ? int(2, 4) * outputBudget : int(outputBudget >> 2, outputBudget + (outputBudget >> 2));
      const meta = `{"cell":"${name}","host":"cvd-prod","user":"alice","started":"2026-11-23T05:${String(int(10, 59))}:${String(int(10, 59))}Z","ms":${int(5, 5000)},"exit":${rand() < 0.9 ? 0 : 1}}`;
      const fence = rand() < 0.1 ? '````' : '```';
      out.push(`<!-- runbook:output ${meta} -->`, fence + 'text');
      let size = 0;
      while (size < budget) {
        const l = `${String(int(1, 99999)).padStart(6)} ${words(int(4, 12))} ${rand() < 0.05 ? '`x`' : ''}`;
        out.push(l);
        size += l.length + 1;
      }
      out.push(fence);
      outputBytes += size;
      out.push('<!-- /runbook:output -->', '');
      outputs++;
    }
  }

  const logRows = cells;
  out.push('<!-- runbook:log -->', '## Execution log', '',
    '| # | Time (UTC) | Operator | Target | Cell | Event | Exit | ms | Digest | Chain | Detail |',
    '|--:|---|---|---|---|---|--:|--:|---|---|---|');
  for (let n = 1; n <= logRows; n++) {
    out.push(`| ${n} | 2026-11-23T05:${String(10 + (n % 50)).padStart(2, '0')}:00Z | alice | cvd-prod | step-${n} | run | 0 | ${int(5, 5000)} | \`${int(0, 0xffffff).toString(16)}\` | \`${int(0, 0xffffff).toString(16)}\` |  |`);
  }
  out.push('<!-- /runbook:log -->', '');
  return { text: out.join('\n'), codeCells: cells, outputs, logRows, outputBytes };
}
