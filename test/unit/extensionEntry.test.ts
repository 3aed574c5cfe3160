// The built entry point (dist/extension.js, from `npm run build`): activation registers the serializer and
// stand-ins for the contributed commands and loads nothing else; the rest of the extension
// (dist/extensionParts.js) loads in the next turn of the event loop, or at once when a command runs before
// that, and then takes the commands' names (issue 17: opening a record waits for activation).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from './helpers.js';

const ENTRY = join(repoRoot, 'dist', 'extension.js');
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } };
const contributed = pkg.contributes.commands.map((c) => c.command);

interface Fake {
  events: string[];
  commands: Map<string, (...args: unknown[]) => unknown>;
  activate(): { languageServerStarted(): boolean };
}

let lastEvents: string[] = [];
const events = () => lastEvents;

/** Loads a fresh copy of the entry with a `vscode` that records what activation does. */
function loadEntry(): Fake {
  const events: string[] = [];
  lastEvents = events;
  const commands = new Map<string, (...args: unknown[]) => unknown>();
  const vscode = {
    workspace: { registerNotebookSerializer: (type: string) => { events.push(`serializer ${type}`); return { dispose() {} }; } },
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
    window: { showErrorMessage: (m: string) => events.push(`error ${m}`) },
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
  return { events, commands, activate: () => entry.activate(context) };
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

const nextTurn = () => new Promise((r) => setImmediate(r));

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

  it('activation registers the serializer and a stand-in for each contributed command; the rest loads in the next turn', async () => {
    const f = loadEntry();
    f.activate();
    assert.deepEqual(f.events, ['serializer runbook']);
    assert.deepEqual([...f.commands.keys()].sort(), [...contributed].sort());
    await nextTurn();
    assert.deepEqual(f.events, ['serializer runbook', 'require extensionParts', 'parts loaded']);
    // The real commands took the names (registering them over the stand-ins would have thrown).
    f.commands.get('runbook.addNote')!('x');
    assert.equal(f.events.at(-1), 'real runbook.addNote ["x"]');
  });

  it('a command run before the next turn loads the rest at once and runs the real command with its arguments', async () => {
    const f = loadEntry();
    f.activate();
    await f.commands.get('runbook.openAsText')!('file:///a.runbook.md');
    assert.deepEqual(f.events, ['serializer runbook', 'require extensionParts', 'parts loaded', 'real runbook.openAsText ["file:///a.runbook.md"]']);
    await nextTurn();
    assert.equal(f.events.filter((e) => e === 'parts loaded').length, 1, 'the rest loads once');
  });

  it('the API the e2e tests read loads the rest when asked first', () => {
    const f = loadEntry();
    assert.equal(f.activate().languageServerStarted(), true);
    assert.deepEqual(f.events, ['serializer runbook', 'require extensionParts', 'parts loaded']);
  });
});
