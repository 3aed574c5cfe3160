// Which drill scenarios belong to a runbook. The runbook names them in front matter (`drills:`, folders
// relative to the runbook: a scenario or a folder of scenarios), so a copy or a renamed file keeps its
// drills; without it, the file-name rule: drills/<runbook name>/ next to the runbook.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { listScenarios, loadScenario, type Scenario } from './scenario.js';

export interface ScenarioLookup {
  scenarios: Scenario[];
  /** Where the scenarios were looked for, for the message when there are none. */
  searched: string[];
}

export function scenariosForRunbook(runbookPath: string, drills?: readonly string[]): ScenarioLookup {
  const dir = dirname(resolve(runbookPath));
  if (drills?.length) {
    const scenarios: Scenario[] = [];
    const searched: string[] = [];
    for (const entry of drills) {
      const abs = resolve(dir, entry);
      searched.push(abs);
      if (existsSync(join(abs, 'manifest.json'))) scenarios.push(loadScenario(abs));
      else if (existsSync(abs) && statSync(abs).isDirectory()) {
        for (const name of readdirSync(abs).sort()) {
          if (existsSync(join(abs, name, 'manifest.json'))) scenarios.push(loadScenario(join(abs, name)));
        }
      }
    }
    return { scenarios, searched };
  }
  const name = basename(runbookPath).replace(/\.runbook\.md$|\.md$/, '');
  return { scenarios: listScenarios(join(dir, 'drills'), name), searched: [join(dir, 'drills', name)] };
}
