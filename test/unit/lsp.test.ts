// The runbook language server over the real protocol (JSON-RPC on stdio), in plain Node: once from the
// TypeScript source (through tsx) and once bundled by esbuild the way scripts/build.mjs bundles dist/server.js.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import {
  CodeActionRequest, CompletionRequest, createMessageConnection, DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification, DidOpenNotebookDocumentNotification, DidOpenTextDocumentNotification,
  ExitNotification, HoverRequest, NotebookCellKind, InitializedNotification, InitializeRequest, PublishDiagnosticsNotification,
  ShutdownRequest, StreamMessageReader, StreamMessageWriter,
  type CodeAction, type CompletionItem, type CompletionList, type Diagnostic, type Hover, type InitializeResult,
  type MessageConnection, type PublishDiagnosticsParams, type TextEdit,
} from 'vscode-languageserver/node';
import { repoRoot } from './helpers.js';

const RUNBOOK = `---
hosts:
  web-1: { ssh: deploy@web-1.example.com, port: 2222, jump: bastion }
  bastion: { ssh: ops@bastion.example.com }
connections:
  app-db: { driver: postgres, url: "postgres://ops:hunter2@localhost:5432/app", host: web-1, passwordVariable: DB_PASSWORD }
variables:
  DB_PASSWORD: { prompt: Password, secret: true }
---
# Restart

\`\`\`bash {name=restart host=web-2}
sudo systemctl restart app
curl -X POST YOUR_SLACK_WEBHOOK_URL
\`\`\`

\`\`\`sql {name=q db=app-db}
select 1
\`\`\`
`;

class Client {
  private readonly waiters: { uri: string; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  readonly last = new Map<string, Diagnostic[]>();

  constructor(readonly child: ChildProcess, readonly conn: MessageConnection) {
    conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.last.set(p.uri, p.diagnostics);
      for (const w of this.waiters.filter((x) => x.uri === p.uri)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(p);
      }
    });
    conn.listen();
  }

  /** The next diagnostics published for `uri` (register before sending what triggers them). */
  diagnostics(uri: string): Promise<Diagnostic[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri}`)), 10_000);
      this.waiters.push({ uri, resolve: (p) => { clearTimeout(timer); resolve(p.diagnostics); } });
    });
  }

  async stop(): Promise<void> {
    await this.conn.sendRequest(ShutdownRequest.type).catch(() => undefined);
    await this.conn.sendNotification(ExitNotification.type).catch(() => undefined);
    const exited = new Promise((r) => this.child.once('exit', r));
    const timer = setTimeout(() => this.child.kill(), 3000);
    await exited;
    clearTimeout(timer);
    this.conn.dispose();
  }
}

async function startServer(args: string[]): Promise<{ client: Client; init: InitializeResult }> {
  const child = spawn(process.execPath, [...args, '--stdio'], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const client = new Client(child, conn);
  const init = await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null,
    initializationOptions: { sshConfigPath: join(tmpdir(), 'no-such-ssh-config') },
  });
  await conn.sendNotification(InitializedNotification.type, {});
  return { client, init };
}

const items = (r: CompletionItem[] | CompletionList | null) => (Array.isArray(r) ? r : r?.items ?? []);
const rangeOf = (d: Diagnostic) => [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character];

let bundleDir: string;
before(async () => {
  bundleDir = mkdtempSync(join(tmpdir(), 'rb-lsp-'));
  // The same options as scripts/build.mjs, so the test proves the bundled server runs.
  await build({
    entryPoints: [join(repoRoot, 'src/lsp/server.ts')], outfile: join(bundleDir, 'server.js'), bundle: true,
    platform: 'node', target: 'node20', format: 'cjs', loader: { '.node': 'empty' }, logLevel: 'error',
  });
});
after(() => rmSync(bundleDir, { recursive: true, force: true }));

const servers: [string, () => string[]][] = [
  ['source (tsx)', () => ['--import', 'tsx', join(repoRoot, 'src/lsp/server.ts')]],
  ['bundle (esbuild)', () => [join(bundleDir, 'server.js')]],
];

for (const [label, args] of servers) {
  describe(`language server over the protocol: ${label}`, () => {
    let client: Client;
    let init: InitializeResult;
    const uri = 'file:///tmp/lsp-test/restart.runbook.md';

    before(async () => ({ client, init } = await startServer(args())));
    after(async () => client.stop());

    it('announces diagnostics sync for runbook notebooks, completion, hover and quick fixes', () => {
      const caps = init.capabilities;
      assert.deepEqual(caps.notebookDocumentSync, { notebookSelector: [{ notebook: 'runbook' }] });
      assert.ok(caps.completionProvider);
      assert.equal(caps.hoverProvider, true);
      assert.ok(caps.codeActionProvider);
    });

    it('publishes diagnostics with exact ranges when a runbook opens', async () => {
      const published = client.diagnostics(uri);
      await client.conn.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: 'markdown', version: 1, text: RUNBOOK },
      });
      const ds = await published;
      const byCode = new Map(ds.map((d) => [String(d.code), d]));
      assert.deepEqual(rangeOf(byCode.get('unknown-host')!), [11, 27, 11, 32]);
      assert.equal(byCode.get('unknown-host')!.severity, 1);
      assert.equal(byCode.get('unknown-host')!.source, 'runbook');
      assert.deepEqual(rangeOf(byCode.get('placeholder')!), [13, 13, 13, 35]);
      assert.equal(byCode.get('placeholder')!.severity, 2);
      assert.deepEqual(rangeOf(byCode.get('destructive-without-confirm')!), [12, 0, 12, 26]);
      assert.equal(byCode.get('destructive-without-confirm')!.severity, 3);
    });

    it('publishes again after an edit', async () => {
      const published = client.diagnostics(uri);
      await client.conn.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version: 2 }, contentChanges: [{ text: RUNBOOK.replace('host=web-2', 'host=web-1') }],
      });
      const ds = await published;
      assert.equal(ds.filter((d) => d.code === 'unknown-host').length, 0);
      assert.equal(ds.filter((d) => d.code === 'placeholder').length, 1);
    });

    it('completes host names after host= and connection names after db=', async () => {
      const hosts = await client.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 11, character: 29 } });
      assert.deepEqual(items(hosts).map((i) => i.label).sort(), ['bastion', 'local', 'web-1']);
      const edit = items(hosts)[0]!.textEdit as TextEdit;
      assert.deepEqual(edit.range, { start: { line: 11, character: 27 }, end: { line: 11, character: 29 } });
      const dbs = await client.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 16, character: 21 } });
      assert.deepEqual(items(dbs).map((i) => i.label), ['app-db']);
    });

    it('completes attribute keys inside the braces', async () => {
      const r = await client.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 16, character: 9 } });
      const labels = items(r).map((i) => i.label);
      for (const key of ['host', 'timeout', 'confirm', 'readonly']) assert.ok(labels.includes(key), key);
    });

    it('shows what a host and a connection resolve to on hover, without the password', async () => {
      const host = await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 11, character: 29 } }) as Hover;
      const text = (host.contents as { value: string }).value;
      assert.match(text, /deploy@web-1\.example\.com/);
      assert.match(text, /port 2222/);
      assert.match(text, /jump through `bastion` → `ops@bastion\.example\.com`/);
      assert.deepEqual(host.range, { start: { line: 11, character: 27 }, end: { line: 11, character: 32 } });
      const db = await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 16, character: 20 } }) as Hover;
      const dbText = (db.contents as { value: string }).value;
      assert.match(dbText, /postgres:\/\/ops:\*\*\*@localhost:5432\/app/);
      assert.match(dbText, /tunnelled through host `web-1`/);
      assert.doesNotMatch(dbText, /hunter2/);
    });

    it('offers quick fixes: placeholder to variable, add confirm=true', async () => {
      const at = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 0 } });
      const placeholder = await client.conn.sendRequest(CodeActionRequest.type, {
        textDocument: { uri }, range: at(13), context: { diagnostics: [] },
      }) as CodeAction[];
      const fix = placeholder.find((a) => /SLACK_WEBHOOK_URL/.test(a.title))!;
      assert.ok(fix, JSON.stringify(placeholder.map((a) => a.title)));
      assert.deepEqual(fix.edit!.changes![uri], [
        { range: { start: { line: 13, character: 13 }, end: { line: 13, character: 35 } }, newText: '${SLACK_WEBHOOK_URL}' },
        { range: { start: { line: 8, character: 0 }, end: { line: 8, character: 0 } }, newText: '  SLACK_WEBHOOK_URL: { prompt: "Slack webhook url", secret: true }\n' },
      ]);
      const confirm = await client.conn.sendRequest(CodeActionRequest.type, {
        textDocument: { uri }, range: at(12), context: { diagnostics: [] },
      }) as CodeAction[];
      const add = confirm.find((a) => /confirm=true/.test(a.title))!;
      assert.deepEqual(add.edit!.changes![uri], [{ range: { start: { line: 11, character: 32 }, end: { line: 11, character: 32 } }, newText: ' confirm=true' }]);
    });

    it('checks notebook cells (notebook sync) and maps diagnostics to each cell', async () => {
      const nbUri = 'file:///tmp/lsp-test/nb.runbook.md';
      const cell = (n: number) => `vscode-notebook-cell:/tmp/lsp-test/nb.runbook.md#C${n}`;
      const frontMatter = '---\nhosts:\n  web-1: { ssh: deploy@web-1 }\nvariables:\n  SERVICE: { default: app }\n---\n';
      const cells = [
        { kind: NotebookCellKind.Markup, document: cell(0), text: 'Call +1-XXX-XXX-XXXX', languageId: 'markdown' },
        { kind: NotebookCellKind.Code, document: cell(1), text: 'echo $SERVICE\necho ${NOT_SET_X}', languageId: 'shellscript', metadata: { runbook: { fence: { indent: '', marker: '```', info: 'bash {name=a host=web-9}', lang: 'bash', close: '```' }, attributes: { name: 'a', host: 'web-9' } } } },
        { kind: NotebookCellKind.Code, document: cell(2), text: 'ls', languageId: 'shellscript', metadata: { runbook: { fence: { indent: '', marker: '```', info: 'bash {name=a}', lang: 'bash', close: '```' }, attributes: { name: 'a' } } } },
      ];
      const published = cells.map((c) => client.diagnostics(c.document));
      await client.conn.sendNotification(DidOpenNotebookDocumentNotification.type, {
        notebookDocument: {
          uri: nbUri, notebookType: 'runbook', version: 1, metadata: { runbook: { frontMatter: { raw: frontMatter, errors: [] } } },
          cells: cells.map((c) => ({ kind: c.kind, document: c.document, ...(c.metadata ? { metadata: c.metadata } : {}) })),
        },
        cellTextDocuments: cells.map((c) => ({ uri: c.document, languageId: c.languageId, version: 1, text: c.text })),
      });
      const [prose, first, second] = await Promise.all(published);
      assert.deepEqual(prose!.map((d) => [d.code, ...rangeOf(d)]), [['placeholder', 0, 5, 0, 20]]);
      assert.deepEqual(first!.map((d) => [d.code, ...rangeOf(d)]).sort(), [['undefined-variable', 1, 5, 1, 17], ['unknown-host', 0, 0, 0, 13]].sort());
      assert.deepEqual(second!.map((d) => [d.code, ...rangeOf(d)]), [['duplicate-name', 0, 0, 0, 2]]);

      const vars = await client.conn.sendRequest(CompletionRequest.type, { textDocument: { uri: cell(1) }, position: { line: 0, character: 7 } });
      assert.deepEqual(items(vars).map((i) => i.label), ['SERVICE']);
      const hover = await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri: cell(1) }, position: { line: 0, character: 8 } }) as Hover;
      assert.match((hover.contents as { value: string }).value, /variable `SERVICE`/);
    });

    it('clears diagnostics when a runbook closes', async () => {
      const published = client.diagnostics(uri);
      await client.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
      assert.deepEqual(await published, []);
    });
  });
}
