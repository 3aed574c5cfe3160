// Benchmark: `uptime` on 50 loopback hosts (sshd on 127.0.0.2–14, 50 ssh-config aliases, each its own address and port) as a
// group run (`host=GROUP forks=50`, fresh connections each run), side by side in the same run with
// `parallel-ssh -p 50` (Debian's pssh) and `ansible all -f 50 -m shell -a uptime`. Target: no slower than
// pssh. Also reports the warm group run (sessions open) and the memory each host's session costs. Needs
// root and openssh-server (test/harness/sshd.ts), pssh and ansible; otherwise says why and measures nothing.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { median, type BenchOptions, type BenchRow, type BenchSection, type SectionResult } from './lib.js';

const HOSTS = 50;
const PER_SSHD = 13;
const PSSH = '`parallel-ssh -p 50 uptime`';
const ANSIBLE = '`ansible all -f 50 -m shell -a uptime`';
const COLD = 'group run `host=fleet forks=50` (fresh connections)';
const WARM = 'group run again (sessions open)';

interface Measured {
  skip?: string;
  rows?: BenchRow[];
  checks?: SectionResult['checks'];
  notes?: string[];
}

export const fleetSection: BenchSection = {
  title: `Fleet: uptime on ${HOSTS} loopback hosts vs pssh and ansible (real sshd)`,
  async run(options): Promise<SectionResult> {
    let m: Measured;
    try {
      m = await measureAll(options);
    } catch (e) {
      m = { skip: `the benchmark failed: ${(e as Error).stack ?? String(e)}` };
    }
    if (m.skip) return { rows: [], reference: PSSH, targets: [], checks: [], notes: [`skipped: ${m.skip}`] };
    return {
      rows: m.rows ?? [], reference: PSSH,
      targets: [{ name: 'group run no slower than pssh', row: COLD, maxRatio: 1 }],
      checks: m.checks ?? [], notes: m.notes ?? [],
    };
  },
};

async function measureAll(options: BenchOptions): Promise<Measured> {
  const { sshdSkipReason, startSshd } = await import('../test/harness/sshd.js');
  const skip = sshdSkipReason()
    ?? (existsSync('/usr/bin/parallel-ssh') ? undefined : 'parallel-ssh is missing: install Debian\'s pssh')
    ?? (existsSync('/usr/bin/ansible') ? undefined : 'ansible is missing: install Debian\'s ansible');
  if (skip) return { skip };
  const { CellRunner } = await import('../src/core/run/cellRunner.js');
  const { ShellExecutor } = await import('../src/core/run/shellExecutor.js');
  const { SshRemote } = await import('../src/core/run/sshRemote.js');
  const { switchableRedactor } = await import('../src/core/run/switchableRedactor.js');
  const { targetResolver } = await import('../src/core/run/targets.js');
  // sshd listens on at most 16 sockets (MAX_LISTEN_SOCKS in OpenSSH): 50 distinct loopback endpoints
  // take 4 sshd processes of 13 addresses each. Every host is its own address and port: one connection each.
  const addresses = Array.from({ length: PER_SSHD }, (_, i) => `127.0.0.${i + 2}`);
  const sshds = await Promise.all(Array.from({ length: Math.ceil(HOSTS / PER_SSHD) }, () => startSshd({ config: addresses.map((a) => `ListenAddress ${a}`) })));
  const hosts = Array.from({ length: HOSTS }, (_, i) => ({
    name: `h${String(i + 1).padStart(2, '0')}`, address: addresses[i % PER_SSHD]!, sshd: sshds[Math.floor(i / PER_SSHD)]!,
  }));
  const names = hosts.map((h) => h.name);
  const dir = mkdtempSync(join(tmpdir(), 'rb-fleetbench-'));
  const run = promisify(execFile);
  const checks: NonNullable<Measured['checks']> = [];
  try {
    const knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, hosts.map((h) => `[${h.address}]:${h.sshd.port} ${h.sshd.hostPublicKey}\n`).join(''));
    const config = [
      ...hosts.map((h) => `Host ${h.name}\n  HostName ${h.address}\n  Port ${h.sshd.port}\n  User ${h.sshd.user}\n  IdentityFile ${h.sshd.userKey}\n`),
      `Host *\n  IdentitiesOnly yes\n  BatchMode yes\n`
      + `  StrictHostKeyChecking yes\n  UserKnownHostsFile ${knownHosts}\n  GlobalKnownHostsFile /dev/null\n`,
    ].join('');
    const configFile = join(dir, 'ssh_config');
    writeFileSync(configFile, config);
    const hostsFile = join(dir, 'hosts');
    writeFileSync(hostsFile, names.join('\n') + '\n');
    const inventory = join(dir, 'inventory.ini');
    writeFileSync(inventory, `[fleet]\nh[01:${HOSTS}]\n\n[all:vars]\nansible_ssh_common_args='-F ${configFile}'\nansible_python_interpreter=/usr/bin/python3\n`);

    const runs = Math.min(options.runs, 5);
    const timed = async (fn: () => Promise<unknown>): Promise<number> => {
      const t0 = process.hrtime.bigint();
      await fn();
      return Number(process.hrtime.bigint() - t0) / 1e6;
    };
    const series = async (fn: () => Promise<unknown>): Promise<number[]> => {
      await fn(); // warm-up: page cache, ansible's plugin cache
      const all: number[] = [];
      for (let i = 0; i < runs; i++) all.push(await timed(fn));
      return all;
    };

    // A tool's failed host is counted (and shown as a failed check), never hidden in its timing.
    const failures = new Map<string, string[]>();
    const tool = (label: string, cmd: string, args: string[], env?: NodeJS.ProcessEnv) => async () => {
      const r = await run(cmd, args, { maxBuffer: 16 << 20, ...(env ? { env } : {}) }).catch((e: { stdout?: string; message: string }) => ({ stdout: e.stdout ?? e.message }));
      const bad = r.stdout.split('\n').filter((l) => /FAILURE|UNREACHABLE|FAILED/.test(l));
      if (bad.length) failures.set(label, [...(failures.get(label) ?? []), ...bad.slice(0, 3)]);
    };
    const pssh = await series(tool(PSSH, 'parallel-ssh', ['-p', String(HOSTS), '-h', hostsFile, '-x', `-F ${configFile}`, 'uptime']));
    const ansibleEnv = { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_HOST_KEY_CHECKING: 'False', ANSIBLE_LOCALHOST_WARNING: 'false' };
    const ansible = await series(tool(ANSIBLE, 'ansible', ['all', '-i', inventory, '-f', String(HOSTS), '-m', 'shell', '-a', 'uptime'], ansibleEnv));
    for (const label of [PSSH, ANSIBLE]) {
      const bad = failures.get(label);
      checks.push({ name: `${label} reached every host`, ok: !bad, ...(bad ? { detail: bad.join(' | ').slice(0, 300) } : {}) });
    }

    const fm = { groups: { fleet: ['h*'] } };
    const cell = { source: 'uptime', language: 'shellscript', attributes: { host: 'fleet', forks: HOSTS }, cellName: 'uptime' };
    let bad = 0;
    const open = () => {
      const remote = new SshRemote({ ask: { confirmHostKey: async () => false, passphrase: async () => undefined }, sshConfigText: config,
        env: { homeDir: dir, localUser: 'bench' }, knownHostsFiles: [knownHosts] });
      const redactor = switchableRedactor();
      const shell = new ShellExecutor({ redact: redactor.redact, transportFor: (t) => remote.transport(t) });
      const runner = new CellRunner({
        executors: { shell }, resolveTarget: targetResolver(remote.resolve), defaultTarget: () => 'local', operator: 'bench', redactor,
        fleet: { sshAliases: () => remote.aliases() },
        ui: { askVariable: async () => undefined, confirm: async () => false, trusted: () => true },
      });
      const once = async () => {
        const r = await runner.run(cell, fm);
        if (!r.ok || (r.outputs?.[0]?.text.match(/ ok /g)?.length ?? 0) !== HOSTS) bad++;
      };
      const close = async () => {
        shell.dispose();
        await new Promise((r) => setTimeout(r, 100));
        remote.dispose();
      };
      return { once, close };
    };
    const cold = await series(async () => {
      const f = open();
      await f.once();
      await f.close();
    });
    // Memory per host: one fleet kept open, measured around its first run.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage();
    const f = open();
    await f.once();
    gc();
    const after = process.memoryUsage();
    const warm = await series(() => f.once());
    await f.close();
    checks.push({ name: `every group run ended with ${HOSTS} hosts ok`, ok: bad === 0, ...(bad ? { detail: `${bad} bad runs` } : {}) });
    const perHost = (bytes: number) => `${(bytes / HOSTS / 1024).toFixed(0)} KiB`;
    const row = (name: string, all: number[], note?: string): BenchRow => ({ name, ms: median(all), bytes: 0, all, ...(note ? { note } : {}) });
    return {
      rows: [
        { ...row(PSSH, pssh, '(reference)'), measures: 'whole process: start parallel-ssh, 50 ssh processes (connect, auth, run uptime), exit' },
        { ...row(ANSIBLE, ansible), measures: 'whole process: start ansible, 50 forks over ssh (connect, auth, run uptime, gather), exit' },
        // No like-for-like `runbook run --target fleet` row yet: this one has no Node start (about 0.3 s).
        { ...row(COLD, cold), measures: 'in-process: one group run from this Node process with fresh connections (connect, auth, run uptime on 50 hosts, record); no process start' },
        row(WARM, warm, '(info)'),
      ],
      checks,
      notes: [
        `${HOSTS} hosts: ${sshds.length} sshd (MaxStartups 100, at most 16 listen sockets each) on ${addresses[0]}–${addresses[PER_SSHD - 1]}, one connection per host; median of ${runs} runs after one warm-up`,
        `memory per host with sessions open: rss ${perHost(after.rss - before.rss)}, heap ${perHost(after.heapUsed - before.heapUsed)} (after a full GC, one group run's delta / ${HOSTS}; each host also costs one remote shell and one sshd process on its host)`,
        `ansible keeps its ControlPersist masters between runs (its default), so its later runs reuse connections`,
      ],
    };
  } finally {
    for (const sshd of sshds) sshd.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
