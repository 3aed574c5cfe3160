// Streaming a huge output inside a real VS Code (issue 3 §3): `seq 1 2000000` (14.9 MB) runs through a cell
// without freezing the editor, and the record keeps a capped output with a visible "N bytes cut" marker.
import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { E2eConfig } from '../../protocol.js';
import { assert } from './check.js';
import { cellNamed, printed, runCells, showNotebook, type Test } from './cells.js';

export function streamTests(config: E2eConfig): Test[] {
  const file = path.join(config.workspace, config.scratch, 'stream-check.runbook.md');
  return [
    {
      name: 'kernel: seq 1 2000000 streams without freezing VS Code; the record keeps head and tail with a "bytes cut" marker',
      run: async () => {
        await fs.writeFile(file, '# Stream check\n\n```bash {name=big}\nseq 1 2000000\n```\n');
        const doc = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
        await showNotebook(doc);
        // The extension host stays responsive while the cell streams: count event-loop ticks meanwhile.
        let ticks = 0;
        const timer = setInterval(() => ticks++, 100);
        const t0 = Date.now();
        try {
          await runCells(doc, [cellNamed(doc, 'big')], 90_000);
        } finally {
          clearInterval(timer);
        }
        const seconds = (Date.now() - t0) / 1000;
        assert(ticks >= Math.floor(seconds * 10 * 0.5), `the extension host was blocked: ${ticks} ticks in ${seconds.toFixed(1)} s`);
        const text = printed(cellNamed(doc, 'big'));
        assert(text.startsWith('1\n2\n3\n'), 'the head of the output is kept');
        assert(text.trimEnd().endsWith('1999999\n2000000'), 'the tail of the output is kept');
        const cut = /… (\d+) bytes cut …/.exec(text);
        assert(cut && Number(cut[1]) > 14_000_000, `a visible marker says how much was cut: ${cut?.[0] ?? 'none'}`);
        assert(await doc.save(), 'save');
        const saved = await fs.stat(file);
        assert(saved.size < 1024 * 1024, `the saved record stays small (${saved.size} bytes)`);
        assert((await fs.readFile(file, 'utf8')).includes(cut[0]), 'the marker is in the saved record');
      },
    },
  ];
}
