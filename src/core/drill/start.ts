// Start drill: runs the scenario's setup.sh in a throw-away state directory and writes a drill record of
// the sample (incident with `drill: true`, every host pointed at the local drill target, paths and ports
// redirected through the runbook's own variables). Cells then run with `env` (stand-ins first on PATH).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { FrontMatter } from '../format/frontMatter.js';
import type { RunbookDocument } from '../format/model.js';
import { serializeRunbook } from '../format/serialize.js';
import { editFrontMatter, type FrontMatterEdit } from '../incident/frontMatterEdit.js';
import { startIncident } from '../incident/start.js';
import { execaModule } from '../util/execa.js';
import { cleanEnv } from '../run/cleanEnv.js';
import { localTarget } from '../run/localTarget.js';
import type { ResolvedTarget } from '../contract/types.js';
import { drillProcesses, signalAll, stopDrillProcesses } from './processes.js';
import { expandValue, loadScenario, type Scenario } from './scenario.js';
import { addDrillStart } from './record.js';
import { drillTargetResolver } from './targets.js';

export interface StartDrillOptions {
  operator: string;
  now: Date;
  /** Default: the scenario's severity. */
  severity?: string;
  id?: string;
  /** Environment the drill starts from (default: this process's, minus the editor's own variables). */
  env?: NodeJS.ProcessEnv;
  /** Where the state directory is made (default: the OS temp dir). */
  tmpDir?: string;
  setupTimeoutMs?: number;
  /** Longest `sleep` of the stand-ins in seconds (default: the scenario's, else 2). */
  sleepMax?: number;
}

export interface DrillSession {
  id: string;
  /** Suggested file name of the record. */
  fileName: string;
  /** The drill record, and `text` its markdown (what the file holds). */
  doc: RunbookDocument;
  text: string;
  scenario: Scenario;
  /** The throw-away state directory ($DRILL_STATE). */
  state: string;
  /** Environment for the cells' shells: localTransport({ env, cwd }). */
  env: NodeJS.ProcessEnv;
  /** Working directory for the cells' shells (the state directory). */
  cwd: string;
  /** Values to give the runner (CellRunner `variables`): the scenario's variables and its (fake) secrets. */
  variables: Record<string, string>;
  /** Resolves every host of the record to the local drill target; refuses once the drill is torn down. */
  resolveTarget: (name: string, fm: FrontMatter | undefined) => ResolvedTarget;
  /** What the operator is told at the start. */
  briefing: string;
  /**
   * Host names the scenario serves locally (e.g. `cvd.drill.test`, `api.novacron.io`) → loopback port of the
   * drill service (plain HTTP). The curl stand-in routes them; an HTTP executor can do the same.
   */
  hostMap(): Record<string, number>;
  /** What setup.sh printed. */
  setupOutput: string;
  /** Runs teardown.sh, stops every process the drill started and removes the state directory. */
  teardown(): Promise<void>;
}

/** Sets up the scenario and makes the drill record of `runbook` (which is not changed). */
export async function startDrill(runbook: RunbookDocument, scenarioDir: string, o: StartDrillOptions): Promise<DrillSession> {
  const scenario = loadScenario(scenarioDir);
  const m = scenario.manifest;
  const state = mkdtempSync(join(o.tmpDir ?? tmpdir(), 'runbook-drill-'));
  const base = cleanEnv(o.env ?? process.env);
  const realPath = base.PATH ?? '/usr/local/bin:/usr/bin:/bin';
  const env: NodeJS.ProcessEnv = {
    ...base,
    PATH: [...scenario.binDirs, realPath].join(delimiter),
    DRILL_STATE: state,
    DRILL_SCENARIO: scenario.dir,
    DRILL_COMMON: scenario.commonDir,
    DRILL_REAL_PATH: realPath,
    DRILL_NODE: process.execPath,
    DRILL_SLEEP_MAX: String(o.sleepMax ?? m.sleepMax ?? 2),
  };
  if (process.versions.electron) env.DRILL_NODE_ELECTRON = '1';
  if (!env.USER) env.USER = localTarget().user;
  if (m.hostname) env.DRILL_HOST = m.hostname;

  let torn = false;
  const onExit = () => {
    // The test runner or editor is going away without a teardown: do not leave the service behind.
    signalAll(drillProcesses(state), 'SIGKILL');
    rmSync(state, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  const teardown = async () => {
    if (torn) return;
    torn = true;
    try {
      await runScript(scenario.teardownScript, env, state, 15_000).catch(() => undefined);
      await stopDrillProcesses(state);
    } finally {
      process.off('exit', onExit);
      rmSync(state, { recursive: true, force: true });
    }
  };

  let setupOutput: string;
  try {
    setupOutput = await runScript(scenario.setupScript, env, state, o.setupTimeoutMs ?? 60_000);
  } catch (e) {
    await teardown();
    throw new Error(`drill setup failed (${m.id}): ${(e as Error).message}`, { cause: e });
  }

  try {
    const values: Record<string, string> = { DRILL_STATE: state, DRILL_SCENARIO: scenario.dir, ...readDrillEnv(state) };
    const variables: Record<string, string> = {};
    for (const [k, v] of Object.entries(m.variables)) variables[k] = expandValue(v, values);
    const secrets: Record<string, string> = {};
    for (const [k, v] of Object.entries(m.secrets)) secrets[k] = expandValue(v, values);
    for (const [k, v] of Object.entries(variables)) env[k] = v;

    const started = startIncident(runbook, {
      severity: o.severity ?? m.severity, operator: o.operator, now: o.now, drill: true, extra: { scenario: m.id },
      ...(o.id ? { id: o.id } : {}),
    });
    const doc = started.doc;
    const local = drillTargetResolver();
    // After teardown the stand-ins are gone: a cell would meet the real systemctl of this machine.
    const resolveTarget = (name: string, fm: FrontMatter | undefined): ResolvedTarget => {
      if (torn) throw new Error('the drill is over (its scenario was torn down): start a new drill to run cells');
      return local(name, fm);
    };
    editFrontMatter(doc, drillEdits(doc.frontMatter?.data, m.connections, variables, values));
    addDrillStart(doc, m, o.operator, o.now);
    return {
      id: started.id, fileName: started.fileName, doc, text: serializeRunbook(doc), scenario, state, env, cwd: state,
      variables: { ...variables, ...secrets }, resolveTarget, briefing: m.briefing, setupOutput, teardown,
      hostMap: () => readHostMap(state),
    };
  } catch (e) {
    await teardown();
    throw e;
  }
}

/** Front-matter edits that turn a runbook copy into a drill record. */
function drillEdits(fm: FrontMatter | undefined, connections: Record<string, Record<string, string>>,
  variables: Record<string, string>, values: Record<string, string>): FrontMatterEdit[] {
  const edits: FrontMatterEdit[] = [];
  for (const [name, host] of Object.entries(fm?.hosts ?? {})) {
    edits.push({ path: ['hosts', name], value: { ssh: 'localhost', drill: true, description: `drill stand-in for ${host.ssh}: runs on this machine against the drill scenario` } });
  }
  for (const [name, c] of Object.entries(fm?.connections ?? {})) {
    const override = connections[name];
    if (override) {
      for (const [k, v] of Object.entries(override)) edits.push({ path: ['connections', name, k], value: expandValue(v, values) });
      if (c.host && !('host' in override)) edits.push({ path: ['connections', name, 'host'], delete: true });
    } else if (c.driver !== 'sqlite') {
      // Not simulated: point it at a closed loopback port so nothing real is ever reached.
      edits.push({ path: ['connections', name, 'url'], value: `${c.driver === 'mysql' ? 'mysql' : 'postgres'}://drill@127.0.0.1:1/not-simulated-in-this-drill` });
      if (c.host) edits.push({ path: ['connections', name, 'host'], delete: true });
    } else if (c.host) edits.push({ path: ['connections', name, 'host'], delete: true });
  }
  const declared = fm?.variables ?? {};
  for (const [k, v] of Object.entries(variables)) if (k in declared) edits.push({ path: ['variables', k, 'default'], value: v });
  return edits;
}

function readHostMap(state: string): Record<string, number> {
  const file = join(state, 'state', 'hosts.map');
  const out: Record<string, number> = {};
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [host, port] = line.trim().split(/\s+/);
    if (host && port && /^\d+$/.test(port)) out[host] = Number(port);
  }
  return out;
}

function readDrillEnv(state: string): Record<string, string> {
  const file = join(state, 'drill.env');
  const out: Record<string, string> = {};
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return out;
}

async function runScript(script: string, env: NodeJS.ProcessEnv, cwd: string, timeoutMs: number): Promise<string> {
  const { execa } = await execaModule();
  // `env` is the whole environment (extendEnv off); stdout and stderr interleaved as the script wrote them.
  const r = await execa('bash', [script], { env, extendEnv: false, cwd, stdin: 'ignore', all: true, timeout: timeoutMs, killSignal: 'SIGKILL', reject: false });
  const out = r.all ?? '';
  if (r.exitCode === 0) return out;
  const how = r.timedOut ? `timed out after ${timeoutMs / 1000} s` : r.signal ? `was killed (${r.signal})` : r.exitCode === undefined ? `could not start (${r.code ?? 'error'})` : `exited with ${r.exitCode}`;
  throw new Error(`${script} ${how}: ${out.trim().split('\n').slice(-5).join(' | ')}`);
}
