// The CLI ends when its work is done: `runbook run` leaves nothing that keeps Node alive (its event loop
// drains on its own and the process exits before a generous kill), and a reader that goes away
// (`runbook seal --payload X | head -1`) ends a command quietly instead of an EPIPE stack trace, while
// `runbook run` keeps going so its record is written. Real CLI processes, a real loopback HTTP server.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startCli } from './cliProcess.js';
import { samplesDir } from './helpers.js';

/** Preload: says when the event loop ran empty by itself (no handle, timer or child left) before exit. */
const DRAINED = "process.once('beforeExit', () => process.stderr.write('LOOP-DRAINED\\n'));\n";

describe('the CLI exits when its work is done', () => {
  let dir: string;
  let server: Server;
  let url: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rb-cli-exit-'));
    writeFileSync(join(dir, 'drained.js'), DRAINED);
    server = createServer((_req, res) => res.end('{"ok":true}'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runbook run (a shell cell and an HTTP cell) exits on its own, its event loop drained', async () => {
    const file = join(dir, 'exit.runbook.md');
    writeFileSync(file, `# Exit\n\n\`\`\`bash\ntrue\n\`\`\`\n\n\`\`\`http\nGET ${url}/health\n\`\`\`\n`);
    const run = startCli(['run', file, '--all', '--out', join(dir, 'exit.record.md')], { NODE_OPTIONS: `--require ${join(dir, 'drained.js')}` });
    const code = await run.exited(60_000);
    if (code === 'hung') run.child.kill('SIGKILL');
    assert.equal(code, 0, run.stderr());
    assert.match(run.stdout(), /2 ran, 0 failed/);
    assert.match(run.stderr(), /LOOP-DRAINED/, 'something kept the event loop alive until process.exit');
  });

  it('a closed stdout ends `runbook seal --payload` quietly with status 0', async () => {
    const run = startCli(['seal', '--payload', join(samplesDir, 'sme-erp-incident-response.runbook.md')]);
    run.child.stdout!.destroy(); // the reader went away before the first byte
    const code = await run.exited(30_000);
    assert.equal(code, 0, run.stderr());
    assert.doesNotMatch(run.stderr(), /EPIPE|Error/);
  });

  it('a closed stdout does not stop `runbook run`: the cells run and the record is written', async () => {
    const file = join(dir, 'pipe.runbook.md');
    writeFileSync(file, '# Pipe\n\n```bash\nseq 1 20000\n```\n\n```bash\necho second-cell-ran\n```\n');
    const out = join(dir, 'pipe.record.md');
    const run = startCli(['run', file, '--all', '--out', out]);
    run.child.stdout!.destroy();
    const code = await run.exited(30_000);
    assert.equal(code, 0, run.stderr());
    assert.match(readFileSync(out, 'utf8'), /second-cell-ran/);
  });
});
