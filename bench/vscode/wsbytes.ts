// What crosses the window's WebSockets during a first open, per format: frames and bytes each way, from Enter in
// Quick Open until the first cell shows (and until the last one), read from Chromium's DevTools protocol.
//   node --import tsx bench/vscode/wsbytes.ts [small|3mb|10mb] [runbook] [ipynb]
import * as path from 'node:path';
import { ROOT } from '../../test/e2e/codeServer.js';
import { benchSession, runTool } from './session.js';
import { openNotebook } from './workbench.js';

interface Tally { frames: number; bytes: number; biggest: number[] }
const tally = (): Tally => ({ frames: 0, bytes: 0, biggest: [] });

async function once(fixtureName: string, format: string): Promise<void> {
  const s = await benchSession(fixtureName, { extensionDir: format === 'runbook' ? process.env.BENCH_EXTENSION_DIR ?? ROOT : undefined });
  try {
    const cdp = await s.page.context().newCDPSession(s.page);
    await cdp.send('Network.enable');
    let on = false;
    const got = { in: tally(), out: tally() };
    const add = (t: Tally, r: { opcode: number; payloadData: string }) => {
      if (!on) return;
      const n = r.opcode === 2 ? Math.floor(r.payloadData.length * 3 / 4) : Buffer.byteLength(r.payloadData);
      t.frames++;
      t.bytes += n;
      t.biggest.push(n);
    };
    cdp.on('Network.webSocketFrameReceived', (e) => add(got.in, e.response));
    cdp.on('Network.webSocketFrameSent', (e) => add(got.out, e.response));
    on = true;
    const times = await openNotebook(s.page, path.basename(s.file(format)));
    on = false;
    const top = (t: Tally) => t.biggest.sort((a, b) => b - a).slice(0, 6).map((n) => (n / 1024).toFixed(0) + 'K').join(' ');
    console.log(`${fixtureName} ${format}: first/last ${times.first}/${times.last} ms; window←server ${got.in.frames} frames ${(got.in.bytes / 1e6).toFixed(2)} MB (${top(got.in)}); window→server ${got.out.frames} frames ${(got.out.bytes / 1e6).toFixed(2)} MB (${top(got.out)})`);
  } finally {
    await s.close();
  }
}

const [fixture = 'small', ...formats] = process.argv.slice(2);
runTool(async () => {
  for (const f of formats.length ? formats : ['runbook', 'ipynb']) await once(fixture, f);
});
