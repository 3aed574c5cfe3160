// Benchmark: the local shell kernel (issue 3). A warm `true` cell in a persistent session vs spawning
// `bash -c true` from Node; `seq 1 2000000` through a cell vs the same command into /dev/null; memory.
import { spawn } from 'node:child_process';
import { ShellSession } from '../src/core/shell/index.js';
import { createRedactor } from '../src/core/redact/index.js';
import { timeAsync, type BenchRow, type BenchSection, type SectionResult } from './lib.js';

const SPAWN = 'spawn `bash -c true` from Node';
const SEQ_NULL = 'bash -c "seq 1 2000000 >/dev/null"';

function spawnBash(script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('bash', ['-c', script], { stdio: 'ignore' });
    p.on('error', reject);
    p.on('exit', () => resolve());
  });
}

export const shellSection: BenchSection = {
  title: 'Local shell kernel: warm cell latency, output throughput, memory',
  async run(options): Promise<SectionResult> {
    const session = new ShellSession({ redact: createRedactor([{ name: 'TOKEN', value: 'not-in-the-output-0123' }]) });
    const many = { warmup: Math.max(5, options.warmup * 5), runs: Math.max(41, options.runs * 6) };
    let streamed = 0;
    try {
      const spawnRow = await timeAsync(() => spawnBash('true'), many);
      const warm = await timeAsync(() => session.run('true'), many);
      const rss0 = process.memoryUsage().rss;
      let peakRss = rss0;
      const seqNull = await timeAsync(() => spawnBash('seq 1 2000000 >/dev/null'), options);
      const seqCell = await timeAsync(async () => {
        streamed = 0;
        const r = await session.run('seq 1 2000000', {
          onStdout: (s) => {
            const before = streamed;
            streamed += s.length;
            if (streamed >> 20 !== before >> 20) peakRss = Math.max(peakRss, process.memoryUsage.rss()); // once per MB
          },
        });
        return r.cutBytes;
      }, options);
      const seqBytes = 14_888_896; // bytes printed by seq 1 2000000
      const rows: BenchRow[] = [
        {
          name: SPAWN, ms: spawnRow.ms, bytes: 0, all: spawnRow.all, note: '(reference)',
          measures: 'from this Node process: start a bash process running `true` and wait for its exit (what running each cell in a new shell costs)',
        },
        {
          name: 'warm `true` cell in a persistent session', ms: warm.ms, bytes: 0, all: warm.all,
          measures: 'from this Node process: one ShellSession.run(`true`) on a bash already running (write the framed command, read its end marker; no process start)',
        },
      ];
      const seqRows: BenchRow[] = [
        { name: SEQ_NULL, ms: seqNull.ms, bytes: seqBytes, all: seqNull.all },
        { name: '`seq 1 2000000` through a cell (streamed, redacted, capped)', ms: seqCell.ms, bytes: seqBytes, all: seqCell.all },
      ];
      const throughputRatio = seqNull.ms / seqCell.ms;
      return {
        rows: [...rows, ...seqRows],
        reference: SPAWN,
        targets: [{ name: 'warm `true` cell at most 0.2x of spawning bash', row: rows[1]!.name, maxRatio: 0.2 }],
        checks: [
          { name: 'every byte of seq reached the stream callback', ok: streamed === seqBytes, detail: `${streamed} bytes` },
          {
            name: `throughput of seq through a cell ≥ 0.5x of seq into /dev/null`,
            ok: throughputRatio >= 0.5,
            detail: `${throughputRatio.toFixed(2)}x (${(seqBytes / 1e6 / (seqCell.ms / 1000)).toFixed(0)} MB/s vs ${(seqBytes / 1e6 / (seqNull.ms / 1000)).toFixed(0)} MB/s)${throughputRatio >= 0.5 ? '' : ' — MISS'}`,
          },
          { name: 'peak memory while streaming 14.9 MB stays bounded', ok: peakRss - rss0 < 200 * 1024 * 1024, detail: `rss +${((peakRss - rss0) / 1024 / 1024).toFixed(1)} MB (peak ${(peakRss / 1024 / 1024).toFixed(0)} MB)` },
        ],
        notes: [`latency: median of ${many.runs} runs after ${many.warmup} warm-ups; throughput: median of ${options.runs}`],
      };
    } finally {
      session.dispose();
    }
  },
};
