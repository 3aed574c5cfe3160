// The built entry point (dist/extension.js, from `npm run build`). Opening a record waits for activation and
// then for the serializer (issue 17): when a runbook's tab is what activates it, activation registers the
// serializer and stand-ins for the contributed commands and loads nothing else; the rest of the extension
// (dist/extensionParts.js) loads just after the first notebook was read (or 1 s after activation, or at
// once when a command runs first) and takes the commands' names. Any other activation loads it at once.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from './helpers.js';
import { notebookApi } from './notebookApi.js';

const ENTRY = join(repoRoot, 'dist', 'extension.js');
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } };
const contributed = pkg.contributes.commands.map((c) => c.command);

interface Fake {
  events: string[];
  commands: Map<string, (...args: unknown[]) => unknown>;
  activate(): { languageServerStarted(): boolean };
  /** What VS Code does when the window sends a file's bytes. */
  deserialize(text: string): { cells: unknown[] };
}

class TabInputNotebook {
  constructor(readonly uri: string, readonly notebookType: string) {}
}
class TabInputText {
  readonly uri: { path: string };
  constructor(path: string) { this.uri = { path }; }
}
let lastEvents: string[] = [];
const events = () => lastEvents;

/** Loads a fresh copy of the entry with a `vscode` that records what activation does; `tabs`: the open tabs. */
function loadEntry(tabs: unknown[] = []): Fake {
  const events: string[] = [];
  lastEvents = events;
  const commands = new Map<string, (...args: unknown[]) => unknown>();
  let serializer: { deserializeNotebook(b: Uint8Array): { cells: unknown[] } } | undefined;
  const vscode = {
    TabInputNotebook, TabInputText, ...notebookApi,
    workspace: {
      registerNotebookSerializer: (type: string, s: typeof serializer) => {
        events.push(`serializer ${type}`);
        serializer = s;
        return { dispose() {} };
      },
    },
    commands: {
      registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => {
        if (commands.has(id)) throw new Error(`command '${id}' already exists`);
        commands.set(id, fn);
        return { dispose: () => commands.delete(id) };
      },
      executeCommand: (id: string, ...args: unknown[]) => {
        const fn = commands.get(id);
        if (!fn) throw new Error(`command '${id}' not found`);
        return fn(...args);
      },
    },
    window: { showErrorMessage: (m: string) => events.push(`error ${m}`), tabGroups: { all: [{ tabs }], activeTabGroup: { activeTab: tabs.at(-1) } } },
  };
  const parts = {
    activateParts: () => {
      events.push('parts loaded');
      for (const id of contributed) vscode.commands.registerCommand(id, (...args) => events.push(`real ${id} ${JSON.stringify(args)}`));
      return { languageServerStarted: () => true, languageClientIndexed: () => [] };
    },
  };
  current = { vscode, parts };
  delete require.cache[ENTRY];
  // A fresh copy of the bundle each time, through the loader patched below: require, not import.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const entry = require(ENTRY) as { activate(ctx: unknown): { languageServerStarted(): boolean } };
  const context = { subscriptions: [] as unknown[], extension: { packageJSON: pkg } };
  return {
    events, commands, activate: () => entry.activate(context),
    deserialize: (text) => serializer!.deserializeNotebook(new TextEncoder().encode(text)),
  };
}

type Load = (request: string, parent: { filename?: string } | undefined, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Load };
const originalLoad = loader._load;
/** What `require('vscode')` and the entry's `require('./extensionParts.js')` give the entry loaded last. */
let current: { vscode: unknown; parts: unknown } | undefined;

before(() => {
  loader._load = function (request, parent, isMain) {
    if (request === 'vscode' && current) return current.vscode;
    if (request === './extensionParts.js' && parent?.filename === ENTRY && current) {
      events().push('require extensionParts');
      return current.parts;
    }
    return originalLoad.call(this, request, parent, isMain);
  };
});
after(() => {
  loader._load = originalLoad;
});

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const opening = () => [{ input: new TabInputNotebook('file:///r.runbook.md', 'runbook') }];
const LOADED = ['require extensionParts', 'parts loaded'];

describe('the extension entry point (dist/extension.js)', () => {
  it('exists: npm run build ran', () => assert.ok(existsSync(ENTRY), 'run npm run build first'));

  it('holds the serializer and the format, not the kernel, the views or the language client', () => {
    const code = readFileSync(ENTRY, 'utf8');
    assert.match(code, /registerNotebookSerializer/);
    for (const absent of ['createNotebookController', 'createTreeView', 'vscode-languageclient', 'createStatusBarItem']) {
      assert.ok(!code.includes(absent), `dist/extension.js holds ${absent}`);
    }
    assert.match(readFileSync(join(repoRoot, 'dist', 'extensionParts.js'), 'utf8'), /createNotebookController/);
  });

  it('a runbook being opened: activation registers the serializer and stand-ins; the rest loads just after the first read', async () => {
    const f = loadEntry(opening());
    f.activate();
    assert.deepEqual(f.events, ['serializer runbook']);
    assert.deepEqual([...f.commands.keys()].sort(), [...contributed].sort());
    await wait(60);
    assert.deepEqual(f.events, ['serializer runbook'], 'nothing more loads while the window reads the file');
    assert.equal(f.deserialize('# T\n\n```bash\necho\n```\n').cells.length, 2);
    assert.deepEqual(f.events, ['serializer runbook'], 'the notebook data is sent first');
    await wait(60);
    assert.deepEqual(f.events, ['serializer runbook', ...LOADED]);
    // The real commands took the names (registering them over the stand-ins would have thrown).
    f.commands.get('runbook.addNote')!('x');
    assert.equal(f.events.at(-1), 'real runbook.addNote ["x"]');
  });

  it('a runbook being opened whose bytes take long: the rest loads 1 s after activation anyway, once', async () => {
    const f = loadEntry(opening());
    f.activate();
    await wait(700);
    assert.deepEqual(f.events, ['serializer runbook']);
    await wait(500);
    assert.deepEqual(f.events, ['serializer runbook', ...LOADED]);
    f.deserialize('# T\n');
    await wait(60);
    assert.equal(f.events.filter((e) => e === 'parts loaded').length, 1, 'the rest loads once');
  });

  it('a command run before the rest is loaded loads it at once and runs the real command with its arguments', async () => {
    const f = loadEntry(opening());
    f.activate();
    await f.commands.get('runbook.openAsText')!('file:///a.runbook.md');
    assert.deepEqual(f.events, ['serializer runbook', ...LOADED, 'real runbook.openAsText ["file:///a.runbook.md"]']);
  });

  it('another notebook or a markdown file opening (their markdown activates us): the rest loads 1 s later', async () => {
    for (const tab of [{ input: new TabInputNotebook('file:///n.ipynb', 'jupyter-notebook') }, { input: new TabInputText('/w/README.md') }]) {
      const f = loadEntry([tab]);
      f.activate();
      await wait(700);
      assert.deepEqual(f.events, ['serializer runbook'], JSON.stringify(tab));
      await wait(500);
      assert.deepEqual(f.events, ['serializer runbook', ...LOADED]);
    }
  });

  it('any other activation (a command, a view, a link, a runbook opened as text) loads the rest before activate() returns', () => {
    for (const tabs of [[], [{ input: new TabInputText('/w/r.runbook.md') }], [{ input: new TabInputText('/w/a.sh') }]]) {
      const f = loadEntry(tabs);
      f.activate();
      assert.deepEqual(f.events, ['serializer runbook', ...LOADED], JSON.stringify(tabs));
    }
  });

  it('the API the e2e tests read loads the rest when asked first', () => {
    const f = loadEntry(opening());
    assert.equal(f.activate().languageServerStarted(), true);
    assert.deepEqual(f.events, ['serializer runbook', ...LOADED]);
  });
});
