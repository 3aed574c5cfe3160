// Benchmark: latency of a warm remote `true` cell (ShellSession over sshTransport, one persistent channel)
// against a real sshd on loopback, side by side with OpenSSH in the same run: a fresh `ssh ... true` per
// command, and ssh with ControlMaster multiplexing (warm master). Targets: the warm cell at most 0.05x of
// the fresh connection and at most 0.2x of ControlMaster. Needs root and openssh-server (test/harness/sshd.ts);
// otherwise the section says why and measures nothing.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { median, type BenchOptions, type BenchRow, type BenchSection, type SectionResult } from './lib.js';

const WARM = 'warm remote `true` cell (ShellSession + sshTransport)';
const FRESH = 'fresh `ssh -p PORT rbtest@127.0.0.1 true`';
const MASTER = 'ssh with ControlMaster (warm master)';
const EXEC = 'ssh2 exec `true` on the warm connection (new channel per command)';
const FIRST = 'first cell: connect + auth + shell start + `true`';

/** What one timed run of each row covers: the warm cell is a round trip in this process, ssh rows are processes. */
const MEASURES: Record<string, string> = {
  [FRESH]: 'whole process: start ssh, TCP connect, key exchange, public-key auth, exec `true`, exit',
  [MASTER]: 'whole process: start ssh, hand `true` to the live ControlMaster over its unix socket, exit (no new TCP/auth)',
  [WARM]: 'in-process: one ShellSession.run(`true`) over an open ssh2 connection and remote shell (no process start, no new connection)',
};

interface ChildResult {
  skip?: string;
  rows?: Array<{ name: string; all: number[]; note?: string }>;
  checks?: Array<{ name: string; ok: boolean; detail?: string }>;
  notes?: string[];
}

export const sshSection: BenchSection = {
  title: 'SSH: warm remote cell vs fresh ssh vs ControlMaster (real sshd on loopback)',
  async run(options): Promise<SectionResult> {
    let child: ChildResult;
    try {
      child = await measureAll(options);
    } catch (e) {
      child = { skip: `the benchmark failed: ${(e as Error).stack ?? String(e)}` };
    }
    if (child.skip) return { rows: [], reference: FRESH, targets: [], checks: [], notes: [`skipped: ${child.skip}`] };
    const rows: BenchRow[] = (child.rows ?? []).map((r) => ({
      name: r.name, ms: median(r.all), bytes: 0, all: r.all, ...(r.note ? { note: r.note } : {}), ...(MEASURES[r.name] ? { measures: MEASURES[r.name] } : {}),
    }));
    const ms = (name: string) => rows.find((r) => r.name === name)?.ms ?? NaN;
    const vsMaster = ms(WARM) / ms(MASTER);
    return {
      rows,
      reference: FRESH,
      targets: [
        { name: 'warm cell at most 0.05x of a fresh ssh connection', row: WARM, maxRatio: 0.05 },
        // lib.ts compares with one reference row: 0.2x of ControlMaster, expressed relative to the fresh row.
        { name: `warm cell at most 0.2x of ControlMaster (${vsMaster.toFixed(3)}x of it; limit shown relative to fresh)`, row: WARM, maxRatio: round4((0.2 * ms(MASTER)) / ms(FRESH)) },
      ],
      checks: child.checks ?? [],
      notes: [
        `${vsMaster <= 0.2 ? 'PASS' : 'MISS'}  warm cell vs ControlMaster: ${vsMaster.toFixed(3)}x (target ≤ 0.2x)`,
        `warm cell vs fresh ssh: ${(ms(WARM) / ms(FRESH)).toFixed(4)}x (target ≤ 0.05x)`,
        ...(child.notes ?? []),
      ],
    };
  },
};

function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}

async function measureAll(options: BenchOptions): Promise<ChildResult> {
  const { sshdSkipReason, startSshd } = await import('../test/harness/sshd.js');
  const skip = sshdSkipReason();
  if (skip) return { skip };
  const { ShellSession } = await import('../src/core/shell/session.js');
  const { SshPool, resolveTarget, sshTransport } = await import('../src/core/ssh/index.js');
  const sshd = await startSshd();
  const dir = mkdtempSync(join(tmpdir(), 'rb-sshbench-'));
  const run = promisify(execFile);
  const checks: NonNullable<ChildResult['checks']> = [];
  try {
    const t = resolveTarget('bench', { bench: { ssh: 'rbtest@127.0.0.1', port: sshd.port, identityFile: sshd.userKey } }, undefined, { homeDir: dir, localUser: 'bench' });
    const pool = new SshPool({ ask: { confirmHostKey: async () => false, passphrase: async () => undefined }, knownHostsFiles: [sshd.knownHostsFile], agent: false });
    const session = new ShellSession({ transport: sshTransport(pool.get(t.ssh)) });
    const timed = async (fn: () => Promise<unknown>): Promise<number> => {
      const t0 = process.hrtime.bigint();
      await fn();
      return Number(process.hrtime.bigint() - t0) / 1e6;
    };
    const series = async (n: number, warmup: number, fn: () => Promise<unknown>): Promise<number[]> => {
      for (let i = 0; i < warmup; i++) await fn();
      const all: number[] = [];
      for (let i = 0; i < n; i++) all.push(await timed(fn));
      return all;
    };
    const cheap = Math.max(options.runs, 31);
    const cheapWarm = Math.max(options.warmup, 5);

    const first = await timed(() => session.run('true'));
    let bad = 0;
    const warm = await series(cheap, cheapWarm, async () => {
      const r = await session.run('true');
      if (r.exitCode !== 0 || r.stdout || r.stderr) bad++;
    });
    checks.push({ name: 'every warm cell ended with exit 0 and no output', ok: bad === 0, detail: bad ? `${bad} bad` : undefined });
    const conn = pool.get(t.ssh);
    const exec = await series(cheap, cheapWarm, () => conn.exec('true'));

    const base = [
      '-F', '/dev/null', '-p', String(sshd.port), '-i', sshd.userKey,
      '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes',
      '-o', `UserKnownHostsFile=${sshd.knownHostsFile}`, '-o', 'GlobalKnownHostsFile=/dev/null',
    ];
    const fresh = await series(options.runs, Math.min(options.warmup, 1), () => run('ssh', [...base, 'rbtest@127.0.0.1', 'true']));
    const cm = ['-o', 'ControlMaster=auto', '-o', `ControlPath=${join(dir, 'cm-%C')}`, '-o', 'ControlPersist=60'];
    const master = await series(cheap, cheapWarm, () => run('ssh', [...base, ...cm, 'rbtest@127.0.0.1', 'true']));
    let muxOk = false;
    try {
      await run('ssh', [...base, ...cm, '-O', 'check', 'rbtest@127.0.0.1']);
      muxOk = true;
    } catch {
      muxOk = false;
    }
    checks.push({ name: 'the ControlMaster rows went through a live master', ok: muxOk });
    await run('ssh', [...base, ...cm, '-O', 'exit', 'rbtest@127.0.0.1']).catch(() => undefined);
    session.dispose();
    await new Promise((r) => setTimeout(r, 200));
    pool.close();
    return {
      rows: [
        { name: FRESH, all: fresh, note: '(reference)' },
        { name: MASTER, all: master },
        { name: WARM, all: warm },
        { name: EXEC, all: exec, note: '(info)' },
        { name: FIRST, all: [first], note: '(info, one run)' },
      ],
      checks,
      notes: [
        `${spawnSync('ssh', ['-V'], { encoding: 'utf8' }).stderr.trim()}; sshd on 127.0.0.1:${sshd.port}, ed25519 keys`,
        `warm/exec/ControlMaster: ${cheapWarm} warm-up + median of ${cheap} runs; fresh ssh: median of ${options.runs} runs`,
      ],
    };
  } finally {
    sshd.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
