// Group names a runbook defines (front matter `groups:`, the groups of its `inventory:`), read from front
// matter that may not validate: only well-formed parts count, an unreadable inventory has no groups.
import { Fleet } from '../fleet/groups.js';
import type { FrontMatter } from '../format/frontMatter.js';

export function fleetGroupNames(data: Record<string, unknown>, baseDir: string | undefined, sshAliases: string[]): Set<string> {
  const fm: FrontMatter = {};
  const groups = data.groups;
  if (groups && typeof groups === 'object' && !Array.isArray(groups)) {
    fm.groups = Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []]));
  }
  // Without the runbook's directory a relative inventory cannot be found: its groups stay unknown.
  if (typeof data.inventory === 'string' && data.inventory && (baseDir || data.inventory.startsWith('/'))) fm.inventory = data.inventory;
  return new Set(new Fleet(fm, { ...(baseDir ? { baseDir } : {}), sshAliases: () => sshAliases }).groupNames());
}

/** Why the named inventory cannot be used (unreadable, not an inventory), or undefined when it can. */
export function inventoryProblem(data: Record<string, unknown>, baseDir: string | undefined): string | undefined {
  if (typeof data.inventory !== 'string' || !data.inventory || (!baseDir && !data.inventory.startsWith('/'))) return undefined;
  try {
    new Fleet({ inventory: data.inventory }, baseDir ? { baseDir } : {}).inventory();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
