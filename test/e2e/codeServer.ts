// Helpers to run the extension in a real VS Code: code-server (installed by scripts/install-code-server.sh)
// serving the workbench on a loopback port, driven by Debian's Chromium through playwright-core.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = path.resolve(__dirname, '../..');
export const CODE_SERVER_ENTRY = path.join(ROOT, '.vscode-test/code-server/node_modules/code-server/out/node/entry.js');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Copies the built extension (package.json, dist/, media/, README, LICENSE) into an extensions dir.
 * E2E_EXTENSION_DIR may name another extension folder to test instead of the repo's.
 */
export function installRunbookExtension(extensionsDir: string, from = process.env.E2E_EXTENSION_DIR ?? ROOT): { id: string; dir: string } {
  const pkg = JSON.parse(readFileSync(path.join(from, 'package.json'), 'utf8')) as {
    publisher: string;
    name: string;
    version: string;
    main?: string;
  };
  if (pkg.main && !existsSync(path.join(from, pkg.main))) {
    throw new Error(`${pkg.main} is missing: run npm run build first`);
  }
  const dir = path.join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  mkdirSync(dir, { recursive: true });
  for (const entry of ['package.json', 'dist', 'media', 'README.md', 'LICENSE', 'language-configuration.json', 'syntaxes']) {
    const src = path.join(from, entry);
    if (existsSync(src)) cpSync(src, path.join(dir, entry), { recursive: true });
  }
  return { id: `${pkg.publisher}.${pkg.name}`, dir };
}

/**
 * Installs the extension the way `npm start` does (scripts/launch.sh): `vsce package`, then code-server's
 * --install-extension, so VS Code knows it by its files (not by links into the repo).
 */
export function installRunbookVsix(extensionsDir: string, userDataDir: string, workDir: string): { id: string; dir: string } {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  const vsix = path.join(workDir, `${pkg.name}.vsix`);
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--readme-path', 'docs/EXTENSION-README.md', '--out', vsix], { cwd: ROOT, stdio: 'pipe' });
  execFileSync(process.execPath, [CODE_SERVER_ENTRY, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir,
    '--config', path.join(userDataDir, 'config.yaml'), '--install-extension', vsix, '--force'], { stdio: 'pipe' });
  const dir = path.join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  if (!existsSync(path.join(dir, 'package.json'))) throw new Error(`code-server did not install ${vsix} into ${dir}`);
  return { id: `${pkg.publisher}.${pkg.name}`, dir };
}

/**
 * Lists an extension folder in the extensions dir's extensions.json. Once that file exists (an install through
 * --install-extension writes it), VS Code loads only the extensions it lists and marks others as removed.
 */
export function listInExtensionsJson(extensionsDir: string, dir: string): void {
  const file = path.join(extensionsDir, 'extensions.json');
  if (!existsSync(file)) return;
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  const id = `${pkg.publisher}.${pkg.name}`.toLowerCase();
  const entries = (JSON.parse(readFileSync(file, 'utf8')) as { identifier: { id: string } }[]).filter((e) => e.identifier.id.toLowerCase() !== id);
  entries.push({
    identifier: { id }, version: pkg.version,
    location: { $mid: 1, fsPath: dir, external: `file://${dir}`, path: dir, scheme: 'file' },
    relativeLocation: path.basename(dir), metadata: { installedTimestamp: Date.now(), source: 'resource' },
  } as unknown as { identifier: { id: string } });
  writeFileSync(file, JSON.stringify(entries));
}

/** Bundles the in-VS-Code test extension (test/e2e/extension-tests) into an extensions dir. */
export async function installTestExtension(extensionsDir: string): Promise<string> {
  const { build } = await import('esbuild');
  const src = path.join(ROOT, 'test/e2e/extension-tests');
  const dir = path.join(extensionsDir, 'runbook-notebooks-tests.runbook-e2e-tests-0.0.1');
  mkdirSync(dir, { recursive: true });
  cpSync(path.join(src, 'package.json'), path.join(dir, 'package.json'));
  await build({
    entryPoints: [path.join(src, 'src/index.ts')],
    outfile: path.join(dir, 'dist/index.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    logLevel: 'warning',
  });
  return dir;
}

/** User settings that keep the workbench quiet and deterministic. */
export function writeUserSettings(userDataDir: string, extra: Record<string, unknown> = {}): void {
  const dir = path.join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'chat.commandCenter.enabled': false,
    'files.autoSave': 'off',
    ...extra,
  };
  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}

export interface CodeServer {
  url: string;
  port: number;
  proc: ChildProcess;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  userDataDir: string;
  extensionsDir: string;
  folder: string;
  port?: number;
  env?: Record<string, string>;
  disableWorkspaceTrust?: boolean;
  /** code-server's stdout and stderr go here. */
  logFile: string;
  /** More command-line options, e.g. `--log trace` for the timings of extension activations. */
  extraArgs?: string[];
}

export async function startCodeServer(o: CodeServerOptions): Promise<CodeServer> {
  if (!existsSync(CODE_SERVER_ENTRY)) throw new Error('code-server is not installed: run scripts/install-code-server.sh');
  const port = o.port ?? (await freePort());
  const args = [
    CODE_SERVER_ENTRY,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--user-data-dir', o.userDataDir,
    // Otherwise code-server writes ~/.config/code-server/config.yaml.
    '--config', path.join(o.userDataDir, 'config.yaml'),
    '--extensions-dir', o.extensionsDir,
  ];
  if (o.disableWorkspaceTrust) args.push('--disable-workspace-trust');
  args.push(...(o.extraArgs ?? []), o.folder);
  mkdirSync(path.dirname(o.logFile), { recursive: true });
  const log = createWriteStream(o.logFile);
  // Own process group, so stop() ends code-server with its extension host, pty host and file watcher.
  const proc = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...o.env },
  });
  proc.stdout!.pipe(log);
  proc.stderr!.pipe(log);
  let exited = false;
  const exitedP = new Promise<void>((resolve) => proc.once('exit', () => { exited = true; resolve(); }));

  const stop = async () => {
    if (!exited && proc.pid) {
      killGroup(proc.pid, 'SIGTERM');
      const t = setTimeout(() => killGroup(proc.pid!, 'SIGKILL'), 5000);
      await exitedP;
      clearTimeout(t);
    }
    // Children that outlived the server (same group) get no second chance.
    if (proc.pid) killGroup(proc.pid, 'SIGKILL');
    log.end();
  };
  registerCleanup(stop);

  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`code-server exited early; see ${o.logFile}`);
    try {
      const res = await fetch(url + 'healthz');
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer within 60 s; see ${o.logFile}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, port, proc, stop };
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

export function workbenchUrl(server: CodeServer, folder: string): string {
  return `${server.url}?folder=${encodeURIComponent(folder)}`;
}

export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-dev-shm-usage',
    ],
  });
  registerCleanup(() => browser.close().catch(() => undefined));
  return browser;
}

/** Opens the workbench and waits until it has rendered its main parts. */
export async function openWorkbench(
  browser: Browser,
  url: string,
  onConsole?: (type: string, text: string) => void,
): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
  if (onConsole) page.on('console', (m) => onConsole(m.type(), m.text()));
  // code-server's own PWA service worker (scope "/") calls clients.claim() when it activates and takes the
  // notebook webviews away from VS Code's webview service worker: their resources (the markdown renderer)
  // then go to the network, fail offline, and each notebook editor waits 30 s for its renderers.
  await page.addInitScript(`(() => {
    const proto = ServiceWorkerContainer.prototype;
    const register = proto.register;
    proto.register = function (url, options) {
      if (String(url).includes('/_static/out/browser/serviceWorker.js')) {
        return Promise.reject(new Error('code-server service worker disabled by the e2e harness'));
      }
      return register.call(this, url, options);
    };
  })();`);
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await page.waitForSelector('.monaco-workbench .part.editor', { timeout: 90_000 });
  return page;
}

const cleanups: (() => Promise<unknown> | unknown)[] = [];
let cleanupHooked = false;

function registerCleanup(fn: () => Promise<unknown> | unknown): void {
  cleanups.push(fn);
  if (cleanupHooked) return;
  cleanupHooked = true;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      void runCleanups().finally(() => process.exit(130));
    });
  }
}

export async function runCleanups(): Promise<void> {
  while (cleanups.length) {
    const fn = cleanups.pop()!;
    try {
      await fn();
    } catch {
      /* best effort */
    }
  }
}

export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}
