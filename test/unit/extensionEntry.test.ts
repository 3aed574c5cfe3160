// The built entry point (dist/extension.js, from `npm run build`). Opening a record waits for activation and
// then for the serializer (issue 17): when a runbook's tab is what activates it, activation registers the
// serializer, the notebook controller with a stand-in execute handler and stand-ins for the contributed
// commands, and loads nothing else; the rest of the extension (dist/extensionParts.js) loads 1.5 s after the
// first notebook was read, 0.25 s more a MB (or 30 s after activation, or at once when a command or a run comes first) and takes
// the commands' names and the controller's runs. Any other activation loads it at once.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import Module from 'node:module';
import { join } from 'node:path';
import { after, afterEach, before, describe, it, mock } from 'node:test';
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
  deserialize(text: string | Uint8Array): { cells: { value: string }[] };
  /** A tab opening after activation (VS Code's onDidChangeTabs). */
  openTab(tab: unknown): void;
  /** The notebooks VS Code has open (workspace.notebookDocuments). */
  notebooks: { uri: { toString(): string }; notebookType?: string }[];
  /** The notebook controller activation created. */
  controller(): FakeController;
  /** A notebook VS Code opens after activation (onDidOpenNotebookDocument). */
  openNotebook(nb: { uri: { toString(): string }; notebookType: string }): void;
  /** What the rest does with the controller when it loads (RunbookController sets the real handler). */
  takeOver: boolean;
  /** What the rest was told of when a record was last read (the language server's start counts from it). */
  readAt?: number;
}

type Handler = (cells: unknown[], notebook: unknown, controller: unknown) => unknown;
interface FakeController {
  id: string;
  notebookType: string;
  executeHandler: Handler;
  supportsExecutionOrder?: boolean;
  /** updateNotebookAffinity calls, as "<uri> <affinity>". */
  affinities: string[];
}
const AFFINITY = { Default: 1, Preferred: 2 };

/** A Uri as far as the entry reads it. */
const fileUri = (fsPath: string) => ({ scheme: 'file', fsPath, path: fsPath, toString: () => `file://${fsPath}` });
class TabInputNotebook {
  readonly uri: ReturnType<typeof fileUri>;
  constructor(path: string, readonly notebookType: string) { this.uri = fileUri(path); }
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
  let serializer: { deserializeNotebook(b: Uint8Array): { cells: { value: string }[] } } | undefined;
  const tabListeners: ((e: { opened: unknown[] }) => void)[] = [];
  const openListeners: ((nb: { uri: { toString(): string }; notebookType: string }) => void)[] = [];
  const notebooks: Fake['notebooks'] = [];
  let controller: FakeController | undefined;
  const vscode = {
    TabInputNotebook, TabInputText, ...notebookApi, NotebookControllerAffinity: AFFINITY,
    notebooks: {
      createNotebookController: (id: string, notebookType: string) => {
        events.push(`controller ${id} ${notebookType}`);
        const c: FakeController = {
          id, notebookType, affinities: [], executeHandler: () => undefined,
        };
        (c as unknown as { updateNotebookAffinity(nb: { uri: unknown }, a: number): void }).updateNotebookAffinity = (nb, a) => c.affinities.push(`${String(nb.uri)} ${a}`);
        (c as unknown as { dispose(): void }).dispose = () => undefined;
        controller = c;
        return c;
      },
    },
    workspace: {
      onDidOpenNotebookDocument: (fn: (typeof openListeners)[number]) => {
        openListeners.push(fn);
        return { dispose: () => openListeners.splice(openListeners.indexOf(fn), 1) };
      },
      registerNotebookSerializer: (type: string, s: typeof serializer) => {
        events.push(`serializer ${type}`);
        serializer = s;
        return { dispose() {} };
      },
      notebookDocuments: notebooks,
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
    window: {
      showErrorMessage: (m: string) => events.push(`error ${m}`),
      tabGroups: {
        all: [{ tabs, activeTab: tabs.at(-1) }], activeTabGroup: { activeTab: tabs.at(-1) },
        onDidChangeTabs: (fn: (e: { opened: unknown[] }) => void) => {
          tabListeners.push(fn);
          return { dispose: () => tabListeners.splice(tabListeners.indexOf(fn), 1) };
        },
      },
    },
  };
  const fake: { takeOver: boolean; readAt?: number } = { takeOver: true };
  const parts = {
    activateParts: (_context: unknown, kernel: FakeController, readAt?: number) => {
      events.push('parts loaded');
      fake.readAt = readAt;
      for (const id of contributed) vscode.commands.registerCommand(id, (...args) => events.push(`real ${id} ${JSON.stringify(args)}`));
      assert.equal(kernel, controller, 'the rest gets the controller activation created');
      if (fake.takeOver) kernel.executeHandler = (cells) => events.push(`real run of ${cells.length} cell(s)`);
      return { languageServerStarted: () => true, languageClientIndexed: () => [] };
    },
  };
  current = { vscode, parts };
  delete require.cache[ENTRY];
  // A fresh copy of the bundle each time, through the loader patched below: require, not import.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const entry = require(ENTRY) as { activate(ctx: unknown): { languageServerStarted(): boolean } };
  const context = { subscriptions: [] as unknown[], extension: { packageJSON: pkg } };
  return Object.assign(fake, {
    events, commands, activate: () => entry.activate(context),
    deserialize: (text: string | Uint8Array) => serializer!.deserializeNotebook(typeof text === 'string' ? new TextEncoder().encode(text) : text),
    openTab: (tab: unknown) => tabListeners.forEach((fn) => fn({ opened: [tab] })),
    notebooks,
    controller: () => controller!,
    openNotebook: (nb: { uri: { toString(): string }; notebookType: string }) => openListeners.forEach((fn) => fn(nb)),
  });
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
const opening = () => [{ input: new TabInputNotebook('/w/r.runbook.md', 'runbook') }];
const LOADED = ['require extensionParts', 'parts loaded'];

const ACTIVATED = ['serializer runbook', 'controller runbook-kernel runbook'];
/** Fake timers for setTimeout only: the entry's delays are seconds long. */
const fakeTimers = () => mock.timers.enable({ apis: ['setTimeout'] });

describe('the extension entry point (dist/extension.js)', () => {
  afterEach(() => mock.timers.reset());

  it('exists: npm run build ran', () => assert.ok(existsSync(ENTRY), 'run npm run build first'));

  it('holds the serializer, the format and the controller, not the runs, the views or the language client', () => {
    const code = readFileSync(ENTRY, 'utf8');
    assert.match(code, /registerNotebookSerializer/);
    assert.match(code, /createNotebookController/);
    for (const absent of ['createNotebookCellExecution', 'createTreeView', 'vscode-languageclient', 'createStatusBarItem']) {
      assert.ok(!code.includes(absent), `dist/extension.js holds ${absent}`);
    }
    assert.match(readFileSync(join(repoRoot, 'dist', 'extensionParts.js'), 'utf8'), /createNotebookCellExecution/);
  });

  it('a runbook being opened: activation registers the serializer, the controller and stand-ins; the rest loads 1.5 s after the first read', () => {
    fakeTimers();
    const f = loadEntry(opening());
    f.activate();
    assert.deepEqual(f.events, ACTIVATED);
    assert.deepEqual([...f.commands.keys()].sort(), [...contributed].sort());
    mock.timers.tick(5000);
    assert.deepEqual(f.events, ACTIVATED, 'nothing more loads while the window reads the file');
    const readAt = Date.now();
    assert.equal(f.deserialize('# T\n\n```bash\necho\n```\n').cells.length, 2);
    assert.deepEqual(f.events, ACTIVATED, 'the notebook data is sent first');
    mock.timers.tick(1499);
    assert.deepEqual(f.events, ACTIVATED, 'nothing loads while the window draws the record');
    mock.timers.tick(1);
    assert.deepEqual(f.events, [...ACTIVATED, ...LOADED]);
    assert.ok(f.readAt !== undefined && f.readAt >= readAt && f.readAt <= Date.now(), `the rest is told when the record was read: ${f.readAt}`);
    // The real commands took the names (registering them over the stand-ins would have thrown).
    f.commands.get('runbook.addNote')!('x');
    assert.equal(f.events.at(-1), 'real runbook.addNote ["x"]');
  });

  it('a big record: the rest loads 0.25 s a MB later, while the window draws it', () => {
    fakeTimers();
    const f = loadEntry(opening());
    f.activate();
    const text = `# Big\n\n${'A line of prose in a big record\n'.repeat(125_000)}`;
    assert.equal(text.length, 4_000_007);
    f.deserialize(text);
    mock.timers.tick(2499);
    assert.deepEqual(f.events, ACTIVATED);
    mock.timers.tick(2);
    assert.deepEqual(f.events, [...ACTIVATED, ...LOADED]);
  });

  it('a runbook being opened whose bytes take long: the rest loads 30 s after activation anyway, once', () => {
    fakeTimers();
    const f = loadEntry(opening());
    f.activate();
    mock.timers.tick(29_999);
    assert.deepEqual(f.events, ACTIVATED);
    mock.timers.tick(1);
    assert.deepEqual(f.events, [...ACTIVATED, ...LOADED]);
    f.deserialize('# T\n');
    mock.timers.tick(2000);
    assert.equal(f.events.filter((e) => e === 'parts loaded').length, 1, 'the rest loads once');
  });

  it('a run asked for before the rest is loaded: the controller loads it at once and hands the run over', async () => {
    fakeTimers();
    const f = loadEntry(opening());
    f.activate();
    f.deserialize('# T\n');
    const c = f.controller();
    assert.equal(c.notebookType, 'runbook');
    assert.equal(c.supportsExecutionOrder, true);
    await c.executeHandler(['cell'], { uri: 'nb' }, c);
    assert.deepEqual(f.events, [...ACTIVATED, ...LOADED, 'real run of 1 cell(s)']);
    mock.timers.tick(2000);
    assert.equal(f.events.filter((e) => e === 'parts loaded').length, 1, 'the rest loads once');
    await c.executeHandler(['a', 'b'], { uri: 'nb' }, c);
    assert.equal(f.events.at(-1), 'real run of 2 cell(s)');
  });

  it('a rest that does not take the controller over: the run says so, and nothing loops', async () => {
    const f = loadEntry(opening());
    f.takeOver = false;
    f.activate();
    const c = f.controller();
    await c.executeHandler(['cell'], { uri: 'nb' }, c);
    assert.deepEqual(f.events.slice(0, 4), [...ACTIVATED, ...LOADED]);
    assert.match(f.events.at(-1)!, /^error Runbook: the extension did not take over its cells, so no cell ran/);
  });

  it('the controller is preferred for every runbook notebook, open before activation or after; other notebooks are left alone', () => {
    const f = loadEntry(opening());
    f.notebooks.push({ uri: { toString: () => 'file:///w/a.runbook.md' }, notebookType: 'runbook' });
    f.notebooks.push({ uri: { toString: () => 'file:///w/n.ipynb' }, notebookType: 'jupyter-notebook' });
    f.activate();
    f.openNotebook({ uri: { toString: () => 'file:///w/b.runbook.md' }, notebookType: 'runbook' });
    f.openNotebook({ uri: { toString: () => 'file:///w/m.ipynb' }, notebookType: 'jupyter-notebook' });
    assert.deepEqual(f.controller().affinities, [`file:///w/a.runbook.md ${AFFINITY.Preferred}`, `file:///w/b.runbook.md ${AFFINITY.Preferred}`]);
  });

  it('a command run before the rest is loaded loads it at once and runs the real command with its arguments', async () => {
    const f = loadEntry(opening());
    f.activate();
    await f.commands.get('runbook.openAsText')!('file:///a.runbook.md');
    assert.deepEqual(f.events, [...ACTIVATED, ...LOADED, 'real runbook.openAsText ["file:///a.runbook.md"]']);
  });

  it('another notebook or a markdown file opening (their markdown activates us): the rest loads 1 s later', () => {
    for (const tab of [{ input: new TabInputNotebook('/w/n.ipynb', 'jupyter-notebook') }, { input: new TabInputText('/w/README.md') }]) {
      fakeTimers();
      const f = loadEntry([tab]);
      f.activate();
      mock.timers.tick(999);
      assert.deepEqual(f.events, ACTIVATED, JSON.stringify(tab));
      mock.timers.tick(1);
      assert.deepEqual(f.events, [...ACTIVATED, ...LOADED]);
      mock.timers.reset();
    }
  });

  it('any other activation (a command, a view, a link, a runbook opened as text) loads the rest before activate() returns', () => {
    for (const tabs of [[], [{ input: new TabInputText('/w/r.runbook.md') }], [{ input: new TabInputText('/w/a.sh') }]]) {
      const f = loadEntry(tabs);
      f.activate();
      assert.deepEqual(f.events, [...ACTIVATED, ...LOADED], JSON.stringify(tabs));
      assert.equal(f.readAt, undefined, 'no record was read');
    }
  });

  it('the API the e2e tests read loads the rest when asked first', () => {
    const f = loadEntry(opening());
    assert.equal(f.activate().languageServerStarted(), true);
    assert.deepEqual(f.events, [...ACTIVATED, ...LOADED]);
  });

  describe('reading the record ahead while the window sends its bytes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'entry-prefetch-'));
    const perf = join(dir, 'perf.log');
    const saved = process.env.RUNBOOK_PERF_LOG;
    before(() => { process.env.RUNBOOK_PERF_LOG = perf; });
    after(() => {
      if (saved === undefined) delete process.env.RUNBOOK_PERF_LOG;
      else process.env.RUNBOOK_PERF_LOG = saved;
      rmSync(dir, { recursive: true, force: true });
    });
    /** A record big enough to be read ahead (300 KB); `mark` is in its first cell. */
    const record = (name: string, mark: string) => {
      const path = join(dir, name);
      const steps = Array.from({ length: 3000 }, (_, i) => `Step ${i}: check the service, its logs and its dashboards before going on to the next step.\n\n\`\`\`bash\necho step-${i}\n\`\`\`\n`).join('\n');
      writeFileSync(path, `# ${mark}\n\n${steps}`);
      return { path, bytes: new Uint8Array(readFileSync(path)) };
    };
    const perfLines = (label: string) => (existsSync(perf) ? readFileSync(perf, 'utf8') : '').split('\n').filter((l) => l.split(' ')[1] === label);
    const until = async (what: string, ok: () => boolean) => {
      for (let i = 0; i < 200 && !ok(); i++) await wait(25);
      assert.ok(ok(), what);
    };
    /** A record whose tab activates the entry, once the entry has parsed it ahead. */
    const openedAndReadAhead = async (name: string, mark: string) => {
      rmSync(perf, { force: true });
      const r = record(name, mark);
      const f = loadEntry([{ input: new TabInputNotebook(r.path, 'runbook') }]);
      f.activate();
      await until('the record was parsed ahead', () => perfLines('deserialize.parse').length === 1);
      return { r, f };
    };

    it('a record being opened is parsed from disk before its bytes arrive; those bytes get that data, once', async () => {
      const { r, f } = await openedAndReadAhead('opening.runbook.md', 'Opening');
      const data = f.deserialize(r.bytes);
      assert.equal(perfLines('deserialize.readAhead').length, 1, 'the data read ahead was used');
      assert.equal(perfLines('deserialize.parse').length, 1, 'not parsed again');
      assert.match(data.cells[0]!.value, /^# Opening\n/);
      assert.equal(data.cells.length, 6000);
      // The same bytes again (a revert): parsed as they come, into the same data.
      const again = f.deserialize(r.bytes);
      assert.equal(perfLines('deserialize.parse').length, 2);
      assert.deepEqual(JSON.stringify(again), JSON.stringify(data));
      assert.deepEqual(f.events, ACTIVATED, 'the rest loads 1.5 s after the first read, as without reading ahead');
    });

    it('bytes other than the file\'s (it changed on disk since, a backup) are parsed as they came', async () => {
      const { r, f } = await openedAndReadAhead('changed.runbook.md', 'On disk');
      const sent = new TextEncoder().encode(new TextDecoder().decode(r.bytes).replace('# On disk', '# In the window'));
      assert.match(f.deserialize(sent).cells[0]!.value, /^# In the window\n/);
      assert.equal(perfLines('deserialize.readAhead').length, 0);
    });

    it('a record tab opened later is read ahead too, unless its notebook is open already', async () => {
      rmSync(perf, { force: true });
      const f = loadEntry([]);
      f.activate();
      const later = record('later.runbook.md', 'Later');
      f.openTab({ input: new TabInputNotebook(later.path, 'runbook') });
      await until('the record was parsed ahead', () => perfLines('deserialize.parse').length === 1);
      assert.match(f.deserialize(later.bytes).cells[0]!.value, /^# Later\n/);
      assert.equal(perfLines('deserialize.readAhead').length, 1);
      const open = record('open.runbook.md', 'Open');
      f.notebooks.push({ uri: { toString: () => `file://${open.path}` } });
      f.openTab({ input: new TabInputNotebook(open.path, 'runbook') });
      f.openTab({ input: new TabInputNotebook(join(dir, 'n.ipynb'), 'jupyter-notebook') });
      await wait(300);
      assert.equal(perfLines('deserialize.parse').length, 1, 'a second tab of an open record, or another notebook, is not read');
    });
  });
});
