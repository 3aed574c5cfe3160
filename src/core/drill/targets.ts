// In a drill record every host of the runbook is the drill's local target: cells with `host=cvd-prod`
// run in a local shell (the drill's environment: stand-ins first on PATH, DRILL_STATE), recorded under the
// host's name so the record still reads like the runbook.
import type { FrontMatter } from '../format/frontMatter.js';
import { LOCAL, localTarget } from '../run/localTarget.js';
import type { ResolvedTarget } from '../contract/types.js';
import { isDrillRecord } from '../runbook/record.js';


/**
 * Resolves `local` and every front-matter host (or any name when `anyName`) to a local drill target. Use it
 * only with the environment of a live drill (DrillSession.env: the stand-ins first on PATH); a drill record
 * opened without its scenario running must not run cells (they would reach this machine's real tools).
 */
export function drillTargetResolver(o: { anyName?: boolean } = {}): (name: string, fm: FrontMatter | undefined) => ResolvedTarget {
  const local = localTarget();
  return (name, fm) => {
    if (name === LOCAL || name === '') return local;
    const host = fm?.hosts?.[name] as { drill?: unknown } | undefined;
    if (!host && !o.anyName) throw new Error(`unknown host "${name}" (not in the front matter hosts)`);
    if (host && host.drill !== true && !isDrillRecord(fm)) throw new Error(`"${name}" is not a drill target: this record is not a drill`);
    return { name, kind: 'local', label: `${local.user}@${local.host} (drill ${name})`, user: local.user, host: local.host };
  };
}
