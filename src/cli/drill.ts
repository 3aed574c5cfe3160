// `runbook drill list|run|report ...`: tabletop drills of the samples on the command line. `drill run`
// sets up the scenario, runs cells against it in the order given, writes the drill record and tears the
// scenario down.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseRunbook, serializeRunbook } from '../core/format/index.js';
import { drillReport, listScenarios, loadScenario, scenariosForRunbook, startDrill, type Scenario } from '../core/drill/index.js';
import { resolveIncident } from '../core/incident/index.js';
import { writeFileAtomic } from '../core/record/atomicWrite.js';
import { runDocument } from '../core/run/documentRunner.js';
import { createRunSession } from '../core/run/session.js';
import { operatorName } from '../core/runbook/operator.js';
import { parseArgs } from './args.js';
import { decodeUtf8, UsageError } from './roundtrip.js';
import { terminalUi } from './terminalUi.js';

export const DRILL_USAGE = `  drill list [SAMPLE]  the drill scenarios shipped with the samples
  drill run RUNBOOK [--scenario ID|DIR] (--steps | --cell NAME...) [--out RECORD] [--yes] [--resolve]
                      set up the scenario, run cells against it in the order given, write the drill
                      record, print the drill report and tear the scenario down
  drill report RECORD [--scenario ID|DIR]
                      time to each step against the severity's response target`;

/** samples/drills, found from the CLI's own location (src/cli or dist) or the working directory. */
export function drillsRoot(explicit?: string): string {
  if (explicit) return resolve(explicit);
  for (const start of [__dirname, process.cwd()]) {
    for (let d = start, i = 0; i < 6; d = dirname(d), i++) {
      const c = join(d, 'samples', 'drills');
      if (existsSync(join(c, '_common', 'lib.sh'))) return c;
    }
  }
  throw new Error('samples/drills not found: pass --drills DIR');
}

function findScenario(root: () => string, runbook: string | undefined, wanted: string | undefined, own: Scenario[] = []): Scenario {
  if (wanted && existsSync(join(wanted, 'manifest.json'))) return loadScenario(wanted);
  // The runbook's own scenarios (front matter `drills:` or drills/<name>/ next to it) before the samples'.
  const mine = wanted ? own.find((s) => s.manifest.id === wanted || basename(s.dir) === wanted) : own[0];
  if (mine) return mine;
  const all = listScenarios(root(), wanted ? undefined : runbook);
  const found = wanted ? all.find((s) => s.manifest.id === wanted || basename(s.dir) === wanted) : all[0];
  if (!found) throw new Error(wanted ? `no drill scenario "${wanted}" under ${root()}` : `no drill scenario for ${runbook} under ${root()}`);
  return found;
}

export async function drillCommand(args: string[], out: (s: string) => void): Promise<number> {
  const [sub, ...rest] = args;
  const a = parseArgs(rest, ['scenario', 'cell', 'out', 'operator', 'drills'], ['steps', 'yes', 'resolve']);
  const root = () => drillsRoot(a.values.drills?.[0]);
  switch (sub) {
    case 'list': {
      for (const s of listScenarios(root(), a.positional[0])) {
        out(`${s.manifest.id}  [${s.manifest.severity}] ${s.manifest.title}\n    runbook: ${s.manifest.runbook}  steps: ${s.manifest.steps.map((x) => x.cell).join(' → ')}`);
      }
      return 0;
    }
    case 'report': {
      const file = a.positional[0];
      if (!file) throw new UsageError('drill report needs a RECORD');
      const doc = parseRunbook(decodeUtf8(readFileSync(file)));
      const id = a.values.scenario?.[0] ?? (doc.frontMatter?.data?.incident as { scenario?: string } | undefined)?.scenario;
      const manifest = id ? findScenario(root, undefined, id).manifest : undefined;
      out(drillReport(doc, manifest).markdown);
      return 0;
    }
    case 'run': {
      const file = a.positional[0];
      if (!file) throw new UsageError('drill run needs the sample RUNBOOK');
      const runbook = parseRunbook(decodeUtf8(readFileSync(file)));
      const own = a.values.drills ? [] : scenariosForRunbook(file, runbook.frontMatter?.data?.drills).scenarios;
      const scenario = findScenario(root, file, a.values.scenario?.[0], own);
      const names = a.flags.has('steps') ? scenario.manifest.steps.map((s) => s.cell) : a.values.cell ?? [];
      if (!names.length) throw new UsageError('say which cells to run: --steps (the scenario\'s steps) or --cell NAME (repeatable)');
      const operator = operatorName(a.values.operator?.[0]);
      const drill = await startDrill(runbook, scenario.dir, { operator, now: new Date() });
      out(`drill ${drill.id} (${scenario.manifest.id}): ${drill.briefing}`);
      const log = (s: string) => process.stderr.write(`${s}\n`);
      // The same session as the kernel's in a drill: no SSH, every host the drill's local stand-in.
      const session = createRunSession({
        resolveTarget: drill.resolveTarget, local: { env: drill.env, cwd: drill.cwd }, baseDir: dirname(resolve(file)),
        defaultTarget: () => 'local', operator, variables: drill.variables,
        ui: terminalUi({ yes: a.flags.has('yes'), interactive: !!process.stdin.isTTY && !!process.stderr.isTTY, log }),
      });
      const runner = session.runner;
      const doc = drill.doc;
      const target = a.values.out?.[0] ?? drill.fileName;
      try {
        for (const name of names) {
          await runDocument(doc, runner, {
            names: [name], onStdout: (s) => process.stdout.write(s), onStderr: (s) => process.stderr.write(s),
            onCell: (e) => log(e.phase === 'start' ? `▶ ${e.name}` : `${e.outcome?.ok ? '✔' : '✖'} ${e.name}: ${e.outcome?.message ?? `exit ${e.outcome?.exitCode}`}`),
          });
        }
        if (a.flags.has('resolve')) resolveIncident(doc, { now: new Date(), operator, sections: (d) => [drillReport(d, scenario.manifest).markdown] });
        writeFileAtomic(target, serializeRunbook(doc));
        out(drillReport(doc, scenario.manifest).markdown);
        out(`record written to ${target}`);
        return 0;
      } finally {
        await session.dispose();
        await drill.teardown();
      }
    }
    default:
      throw new UsageError(sub ? `unknown drill subcommand '${sub}'` : 'drill needs a subcommand: list, run or report');
  }
}
