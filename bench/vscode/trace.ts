// Where the first open of a record goes, in one fresh code-server per format: when the extension host
// activates the notebook's extension, when the window reads the file, what our code logs (RUNBOOK_PERF_LOG),
// from code-server's trace logs; times in ms from Enter in Quick Open.
//   node --import tsx bench/vscode/trace.ts [small|3mb|10mb] [runbook] [ipynb]
// WITH_EXT=1 installs our extension on the ipynb side too.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT, runCleanups } from '../../test/e2e/codeServer.js';
import { benchSession } from './session.js';
import { openNotebook } from './workbench.js';

function findLogs(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) out.push(...findLogs(p));
    else if (/exthost|renderer|window|remoteagent/i.test(p) && p.endsWith('.log')) out.push(p);
  }
  return out;
}

async function once(fixtureName: string, format: string): Promise<void> {
  const s = await benchSession(fixtureName, {
    extensionDir: format === 'runbook' || process.env.WITH_EXT ? process.env.BENCH_EXTENSION_DIR ?? ROOT : undefined,
    extraArgs: ['--log', 'trace'],
  });
  try {
    const times = await openNotebook(s.page, path.basename(s.file(format)));
    // Enter, when the open began (openNotebook returns when the last cell shows).
    const t0 = Date.now() - times.last;
    await s.page.waitForTimeout(1000);
    const lines: [number, string][] = [];
    for (const f of findLogs(s.userData)) {
      for (const l of readFileSync(f, 'utf8').split('\n')) {
        const m = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3})/.exec(l);
        if (!m) continue;
        const t = new Date(m[1]!.replace(' ', 'T')).getTime() - t0;
        if (t > -100 && t < 8000 && /_doActivateExtension|loadModule|_callActivate|readFileStream \/tmp|provide|INVOKE|DiagnosticCollection/.test(l)) {
          lines.push([t, `${path.basename(f)} ${l.slice(24, 220)}`]);
        }
      }
    }
    for (const l of existsSync(s.perfLog) ? readFileSync(s.perfLog, 'utf8').split('\n').filter(Boolean) : []) {
      const [ts, ...rest] = l.split(' ');
      lines.push([Number(ts) - t0, `perf ${rest.join(' ')}`]);
    }
    console.log(`\n=== ${fixtureName} ${format}: first / last cell ${times.first} / ${times.last} ms after Enter`);
    for (const [t, text] of lines.sort((a, b) => a[0] - b[0])) console.log(`${String(t).padStart(6)} ${text}`);
  } finally {
    await s.close();
  }
}

const [fixture = 'small', ...formats] = process.argv.slice(2);
void (async () => {
  for (const f of formats.length ? formats : ['runbook', 'ipynb']) await once(fixture, f);
  await runCleanups();
  process.exit(0);
})();
