// Drill scenarios shipped with the samples: samples/drills/<sample>/<scenario>/ holds manifest.json,
// setup.sh, teardown.sh, optional bin/ (stand-ins first on PATH), hooks/ and service.json. The stand-ins
// shared by all scenarios live in samples/drills/_common/.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import * as z from '../util/zod.js';

const opt = z.optional;
const nonEmpty = () => z.string().check(z.minLength(1));
const strings = () => z.record(z.string(), z.string());

const step = z.object({
  cell: nonEmpty(),
  phase: nonEmpty(),
  /** Text a successful run of the step prints (checked by tests and the drill report). */
  expect: opt(z.string()),
  /** The step that means the service is back (time to recovery). */
  recovery: opt(z.boolean()),
});

export const manifestSchema = z.object({
  id: nonEmpty(),
  title: nonEmpty(),
  /** File name of the sample runbook the scenario drills. */
  runbook: nonEmpty(),
  /** Severity the drill record starts with (one of the runbook's levels when it defines some). */
  severity: nonEmpty(),
  /** Host name shown by the stand-ins (journal lines, prompts). */
  hostname: opt(z.string()),
  /** What the operator is told when the drill starts (the page). */
  briefing: nonEmpty(),
  /** What is broken, for the facilitator. */
  summary: nonEmpty(),
  /** What fixes it. */
  remediation: nonEmpty(),
  /** Variable defaults written into the drill record; `${DRILL_STATE}` and values from setup (drill.env) are substituted. */
  variables: z._default(strings(), {}),
  /** Secret variable values handed to the runner (never written into the record). */
  secrets: z._default(strings(), {}),
  /** Connection fields to override in the record (e.g. a SQLite path); other connections are disabled. */
  connections: z._default(z.record(z.string(), strings()), {}),
  /** Cap of `sleep` in seconds while drilling (default 2). */
  sleepMax: opt(z.number().check(z.nonnegative())),
  steps: z.array(step).check(z.minLength(1)),
  /** A diagnostic cell that shows the scenario's symptom right after setup. */
  symptom: z.object({ cell: z.string(), expect: z.string() }),
  /** Sample cells that print realistic output or change state in this scenario. */
  covers: z._default(z.array(z.string()), []),
  /** Cells that do not work (fully) in the drill, and why. */
  limits: z._default(strings(), {}),
});

export type DrillManifest = z.infer<typeof manifestSchema>;
export type DrillStep = z.infer<typeof step>;

export interface Scenario {
  /** Absolute path of the scenario folder. */
  dir: string;
  manifest: DrillManifest;
  setupScript: string;
  teardownScript: string;
  /** Directories put first on PATH: the scenario's bin/ (when present), then the common stand-ins. */
  binDirs: string[];
  /** samples/drills/_common. */
  commonDir: string;
}

export function loadScenario(dir: string): Scenario {
  const abs = resolve(dir);
  const manifestPath = join(abs, 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`${abs} is not a drill scenario (no manifest.json)`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (e) {
    throw new Error(`${manifestPath}: ${(e as Error).message}`, { cause: e });
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${manifestPath}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  const commonDir = findCommon(abs);
  const setupScript = join(abs, 'setup.sh');
  const teardownScript = join(abs, 'teardown.sh');
  for (const f of [setupScript, teardownScript]) if (!existsSync(f)) throw new Error(`${abs}: ${basename(f)} is missing`);
  const binDirs = [join(abs, 'bin'), join(commonDir, 'bin')].filter((d) => existsSync(d));
  return { dir: abs, manifest: parsed.data, setupScript, teardownScript, binDirs, commonDir };
}

function findCommon(scenarioDir: string): string {
  for (let d = dirname(scenarioDir), i = 0; i < 4; d = dirname(d), i++) {
    const c = join(d, '_common');
    if (existsSync(join(c, 'lib.sh'))) return c;
  }
  throw new Error(`${scenarioDir}: no _common/lib.sh next to the scenario (expected samples/drills/_common)`);
}

/** Scenario folders under a drills root (samples/drills), optionally only those of one sample runbook. */
export function listScenarios(drillsRoot: string, runbook?: string): Scenario[] {
  const out: Scenario[] = [];
  if (!existsSync(drillsRoot)) return out;
  const sample = runbook ? basename(runbook).replace(/\.runbook\.md$|\.md$/, '') : undefined;
  for (const group of readdirSync(drillsRoot).sort()) {
    if (group.startsWith('_') || (sample && group !== sample)) continue;
    const groupDir = join(drillsRoot, group);
    if (!statSync(groupDir).isDirectory()) continue;
    for (const name of readdirSync(groupDir).sort()) {
      const dir = join(groupDir, name);
      if (existsSync(join(dir, 'manifest.json'))) out.push(loadScenario(dir));
    }
  }
  return out;
}

/** `${NAME}` in a manifest value, from the drill's values (state dir, ports written by setup). */
export function expandValue(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (all, name: string) => values[name] ?? all);
}
