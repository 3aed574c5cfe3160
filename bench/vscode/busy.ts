// How busy the workbench window stays after a record opened (issue 17): a quick command's ✓ waits for the
// window's main thread, so a window still laying out a big notebook shows it late whatever the kernel does.
// Opens the record, then samples the renderer's CPU profile in slices and prints how much of each slice was
// idle and what the rest went to (VS Code's own functions by name and place in workbench.js).
//   node --import tsx bench/vscode/busy.ts <fixture> <runbook|ipynb> [slices=6] [sliceMs=2000]
import * as path from 'node:path';
import type { CDPSession } from 'playwright-core';
import { ROOT } from '../../test/e2e/codeServer.js';
import { benchSession, runTool } from './session.js';
import { openNotebook } from './workbench.js';

interface Profile { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[]; samples: number[]; timeDeltas: number[] }

function describeSlice(p: Profile): string {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let idle = 0;
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const cf = byId.get(p.samples[i]!)!.callFrame;
    const us = p.timeDeltas[i] ?? 0;
    total += us;
    if (cf.functionName === '(idle)') idle += us;
    const key = `${cf.functionName || '(anon)'} ${cf.url.split('/').pop()?.split('?')[0]}:${cf.lineNumber + 1}:${cf.columnNumber}`;
    self.set(key, (self.get(key) ?? 0) + us);
  }
  const top = [...self].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, 4)
    .map(([k, us]) => `${(us / 1000).toFixed(0)} ms ${k}`).join('; ');
  return `idle ${(100 * idle / Math.max(total, 1)).toFixed(0)}%  busy ${((total - idle) / 1000).toFixed(0)} ms: ${top}`;
}

async function main(): Promise<void> {
  const [fixture = '10mb', format = 'runbook', slices = '6', sliceMs = '2000'] = process.argv.slice(2);
  const s = await benchSession(fixture, format === 'runbook' ? { extensionDir: process.env.BENCH_EXTENSION_DIR ?? ROOT } : {});
  try {
    const open = await openNotebook(s.page, path.basename(s.file(format)));
    console.log(`${fixture} ${format}: open ${open.first} / ${open.last} ms`);
    const cdp: CDPSession = await s.page.context().newCDPSession(s.page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
    for (let i = 0; i < Number(slices); i++) {
      await cdp.send('Profiler.start');
      await s.page.waitForTimeout(Number(sliceMs));
      const p = (await cdp.send('Profiler.stop')).profile as unknown as Profile;
      console.log(`  +${((i + 1) * Number(sliceMs) / 1000).toFixed(0)} s after the last cell: ${describeSlice(p)}`);
    }
  } finally {
    await s.close();
  }
}

runTool(main);
