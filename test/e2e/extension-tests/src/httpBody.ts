// Issue 13 §9 in a real VS Code: an HTTP cell's body is shown when it is text whatever the server calls it
// (32 bytes of JSON as application/octet-stream), and a binary body is summarised, not dumped.
import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { E2eConfig } from '../../protocol.js';
import { assert } from './check.js';
import { cellNamed, outputsOf, runCells, screenshot, showNotebook, type Test } from './cells.js';

const JSON_BODY = '{"status":"ok","queue":"cvd-01"}'; // 32 bytes
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

export function httpBodyTests(config: E2eConfig): Test[] {
  return [{
    name: 'http: a text body is shown whatever its Content-Type, a binary body is summarised (issue 13 §9)',
    run: async () => {
      const server = createServer((req, res) => {
        const body = req.url === '/png' ? PNG : Buffer.from(JSON_BODY);
        res.writeHead(200, { 'content-type': req.url === '/png' ? 'image/png' : 'application/octet-stream', 'content-length': body.length });
        res.end(body);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const file = path.join(config.workspace, config.scratch, 'http-body.runbook.md');
        await fs.writeFile(file, `# HTTP bodies\n\n\`\`\`http {name=octet}\nGET ${origin}/octet\n\`\`\`\n\n\`\`\`http {name=png}\nGET ${origin}/png\n\`\`\`\n`);
        const doc = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
        await showNotebook(doc);
        await runCells(doc, [cellNamed(doc, 'octet'), cellNamed(doc, 'png')]);
        const octet = outputsOf(cellNamed(doc, 'octet')).map((o) => o.text).join('\n');
        assert(/"status": "ok"/.test(octet) && /"queue": "cvd-01"/.test(octet), `the JSON body is not shown: ${octet}`);
        const png = outputsOf(cellNamed(doc, 'png')).map((o) => o.text).join('\n');
        assert(/binary body not shown: 29 bytes of image\/png, sha256 [0-9a-f]{64}, first bytes 89 50 4e 47/.test(png), `the binary body is not summarised: ${png}`);
        assert(!png.includes('\u0000') && !png.includes('\ufffd'), 'raw binary reached the output');
        await screenshot(config, 'http-body.png', ['"queue": "cvd-01"', 'binary body not shown']);
      } finally {
        server.close();
      }
    },
  }];
}
