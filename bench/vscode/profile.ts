// CPU profiles of one bench run (issue 17): where the open and the save of a big record spend their time, in
// the extension host (Node inspector) and in the workbench renderer (Chromium DevTools protocol).
//   node --import tsx bench/vscode/profile.ts [3mb|10mb] [runbook|ipynb]   (ipynb: with the null kernel)
// Writes test-results/profile-<fixture>-<format>-<phase>-<process>.cpuprofile (open them in Chrome DevTools)
// and prints the self time per script and the top functions of each.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import WebSocket from 'ws';
import type { CDPSession } from 'playwright-core';
import { ROOT } from '../../test/e2e/codeServer.js';
import { benchSession, runTool } from './session.js';
import { editAndSave, openNotebook, runEcho } from './workbench.js';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

/** A minimal CDP client over the Node inspector's WebSocket. */
class Inspector {
  private id = 0;
  private readonly pending = new Map<number, (v: unknown) => void>();
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { id?: number; result?: unknown };
      if (msg.id !== undefined) this.pending.get(msg.id)?.(msg.result);
    });
  }

  static async connect(url: string): Promise<Inspector> {
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return new Inspector(ws);
  }

  send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = ++this.id;
    this.ws.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve) => this.pending.set(id, resolve as (v: unknown) => void));
  }

  close(): void {
    this.ws.close();
  }
}

/** The extension host of code-server's process group and its inspector URL (NODE_OPTIONS=--inspect=0). */
async function extensionHostInspector(group: number): Promise<string> {
  for (let i = 0; i < 100; i++) {
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        if (!cmd.includes('extensionHost')) continue;
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== group) continue;
        const ss = execFileSync('ss', ['-ltnpH'], { encoding: 'utf8' });
        for (const line of ss.split('\n').filter((l) => l.includes(`pid=${pid},`))) {
          const port = /127\.0\.0\.1:(\d+)/.exec(line)?.[1];
          if (!port) continue;
          const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json().catch(() => undefined) as { webSocketDebuggerUrl: string }[] | undefined;
          if (list?.[0]) return list[0].webSocketDebuggerUrl;
        }
      } catch {
        /* gone */
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('no extension host inspector found');
}

function summarize(name: string, p: Profile): void {
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  const byUrl = new Map<string, number>();
  const byFn = new Map<string, number>();
  let total = 0;
  for (const n of p.nodes) {
    const us = self.get(n.id) ?? 0;
    total += us;
    const url = n.callFrame.url.replace(/^.*\/(lib\/vscode|dist|node_modules)\//, '$1/') || '(native)';
    byUrl.set(url, (byUrl.get(url) ?? 0) + us);
    const fn = `${n.callFrame.functionName || '(anon)'} ${url}:${n.callFrame.lineNumber + 1}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + us);
  }
  const top = (m: Map<string, number>, k: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k)
    .map(([key, us]) => `    ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`).join('\n');
  console.log(`\n== ${name}: ${((p.endTime - p.startTime) / 1000).toFixed(0)} ms wall, ${(total / 1000).toFixed(0)} ms sampled\n  by script:\n${top(byUrl, 12)}\n  by function:\n${top(byFn, 25)}`);
}

async function main(): Promise<void> {
  const fixtureName = process.argv[2] ?? '3mb';
  const format = process.argv[3] ?? 'runbook';
  const s = await benchSession(fixtureName, {
    extensionDir: format === 'runbook' ? process.env.BENCH_EXTENSION_DIR ?? ROOT : undefined,
    nullKernel: format === 'ipynb',
    env: { NODE_OPTIONS: '--inspect=127.0.0.1:0' },
  });
  const out = path.join(ROOT, 'test-results');
  mkdirSync(out, { recursive: true });
  const { page, server } = s;
  try {
    const host = await Inspector.connect(await extensionHostInspector(server.proc.pid!));
    const cdp: CDPSession = await page.context().newCDPSession(page);
    const file = s.file(format);
    const phase = async (label: string, fn: () => Promise<unknown>) => {
      await host.send('Profiler.enable');
      await host.send('Profiler.setSamplingInterval', { interval: 500 });
      await host.send('Profiler.start');
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
      const t = Date.now();
      const result = await fn();
      const ms = Date.now() - t;
      const hp = (await host.send<{ profile: Profile }>('Profiler.stop')).profile;
      const rp = (await cdp.send('Profiler.stop')).profile as unknown as Profile;
      console.log(`\n##### ${fixtureName} ${format} ${label}: ${ms} ms ${JSON.stringify(result)} (load ${readFileSync('/proc/loadavg', 'utf8').trim()})`);
      for (const [proc, p] of [['exthost', hp], ['renderer', rp]] as const) {
        writeFileSync(path.join(out, `profile-${fixtureName}-${format}-${label}-${proc}.cpuprofile`), JSON.stringify(p));
        summarize(`${label} ${proc}`, p);
      }
    };
    await phase('open', () => openNotebook(page, path.basename(file)));
    await page.waitForTimeout(2000);
    await phase('save', () => editAndSave(page, file));
    if (!process.env.PROFILE_NO_RUN) {
      await page.waitForTimeout(Number(process.env.PROFILE_RUN_WAIT_MS ?? 2000));
      // The ipynb side runs the cell with the bench's null kernel (VS Code's own figures).
      await phase('run', () => runEcho(page, file, 180_000, format === 'runbook'));
    }
    host.close();
    console.log(`\nperf log:\n${readFileSync(s.perfLog, 'utf8').split('\n').slice(-60).join('\n')}`);
  } finally {
    await s.close();
  }
}

runTool(main);
