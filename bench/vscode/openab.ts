// Opens one record in fresh code-servers, taking turns between builds of the extension (and VS Code's ipynb
// editor), and prints the medians of first and last cell rendered: a quick A/B of what changes the open.
//   node --import tsx bench/vscode/openab.ts <fixture> <runs> ipynb <dir> [<dir>…]
import * as path from 'node:path';
import { runCleanups } from '../../test/e2e/codeServer.js';
import { benchSession } from './session.js';
import { openNotebook } from './workbench.js';

async function once(fixtureName: string, side: string): Promise<{ first: number; last: number }> {
  const s = await benchSession(fixtureName, side === 'ipynb' ? {} : { extensionDir: side });
  try {
    return await openNotebook(s.page, path.basename(s.file(side === 'ipynb' ? 'ipynb' : 'runbook')));
  } finally {
    await s.close();
  }
}

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
void (async () => {
  const [fixture = 'small', runs = '5', ...sides] = process.argv.slice(2);
  const got = new Map<string, { first: number[]; last: number[] }>(sides.map((s) => [s, { first: [], last: [] }]));
  for (let i = 0; i < Number(runs); i++) {
    for (const s of sides) {
      const t = await once(fixture, s);
      got.get(s)!.first.push(t.first);
      got.get(s)!.last.push(t.last);
      console.log(`#${i + 1} ${s}: ${t.first} / ${t.last} ms`);
    }
  }
  for (const [s, r] of got) console.log(`${fixture} ${s}: first ${med(r.first)} last ${med(r.last)} (median of ${r.first.length})`);
  await runCleanups();
  process.exit(0);
})();
