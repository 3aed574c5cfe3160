// Host groups a cell can fan out to: front matter `groups:` (hosts, ssh-config patterns such as `web-1*`,
// ranges such as `web[01:12]`, other groups, `!pattern` to leave some out) and the groups of the Ansible
// inventory named by `inventory:`. Inventory hosts become hosts of the runbook with their ansible_host,
// ansible_port, ansible_user and ansible_ssh_private_key_file, so one resolution serves both.
import type { FrontMatter } from '../format/frontMatter.js';
import { matchGlob } from '../ssh/patterns.js';
import type { FrontMatterHosts } from '../ssh/targets.js';
import { expandHostPattern, isHostPattern } from './hostRange.js';
import type { Inventory, Vars } from './inventory.js';
import { readInventoryFile } from './readInventory.js';

export interface FleetContext {
  /** Where a relative `inventory:` path starts (the runbook's directory). */
  baseDir?: string;
  homeDir?: string;
  /** Host aliases of the ssh config, for patterns. */
  sshAliases?: () => readonly string[];
}

export interface FleetGroup {
  name: string;
  /** Target names, in order, once each. */
  members: string[];
  /** Where the group is defined, for messages. */
  source: 'front matter' | 'inventory';
}

const FIELDS = ['ansible_host', 'ansible_port', 'ansible_user', 'ansible_ssh_private_key_file'] as const;

/** A view of one front matter's groups; reads the inventory once. */
export class Fleet {
  private inventoryCache: Inventory | undefined;
  private inventoryError: string | undefined;
  private inventoryRead = false;

  constructor(private readonly fm: FrontMatter | undefined, private readonly ctx: FleetContext = {}) {}

  /** The inventory, or undefined when none is named; throws when it is named but unreadable. */
  inventory(): Inventory | undefined {
    if (!this.inventoryRead) {
      this.inventoryRead = true;
      if (this.fm?.inventory) {
        try {
          this.inventoryCache = readInventoryFile(this.fm.inventory, this.ctx.baseDir ?? process.cwd(), this.ctx.homeDir);
        } catch (e) {
          this.inventoryError = (e as Error).message;
        }
      }
    }
    if (this.inventoryError) throw new Error(this.inventoryError);
    return this.inventoryCache;
  }

  /** Every group name: front matter first, then the inventory's. */
  groupNames(): string[] {
    const names = new Set(Object.keys(this.fm?.groups ?? {}));
    try {
      for (const g of this.inventory()?.groups.keys() ?? []) names.add(g);
    } catch {
      // an unreadable inventory has no groups; running on one says why
    }
    return [...names];
  }

  /** Whether `name` is a group (a host of the front matter or ssh config with that name stays a host). */
  isGroup(name: string): boolean {
    if (name === '' || name === 'local' || Object.hasOwn(this.fm?.hosts ?? {}, name)) return false;
    if (Object.hasOwn(this.fm?.groups ?? {}, name)) return true;
    if (this.fm?.inventory === undefined) return false;
    // An unreadable inventory does not block hosts known elsewhere; any other name says why it cannot run.
    if (this.ctx.sshAliases?.().includes(name)) {
      try {
        return this.inventory()?.groups.has(name) ?? false;
      } catch {
        return false;
      }
    }
    return this.inventory()?.groups.has(name) ?? false;
  }

  /** The group's members, or undefined when `name` is not a group. */
  group(name: string): FleetGroup | undefined {
    if (!this.isGroup(name)) return undefined;
    const fromFrontMatter = Object.hasOwn(this.fm?.groups ?? {}, name);
    const members = this.expand(name, []);
    return { name, members, source: fromFrontMatter ? 'front matter' : 'inventory' };
  }

  /** Front matter hosts with the inventory's hosts added (the front matter wins on a shared name). */
  hosts(): FrontMatterHosts {
    const out: FrontMatterHosts = {};
    const inv = this.inventory();
    for (const host of inv?.hostVars.keys() ?? []) {
      const entry = hostEntry(host, inv!.varsOf(host));
      if (entry) out[host] = entry;
    }
    return { ...out, ...this.fm?.hosts };
  }

  /** The front matter with the inventory's hosts, for resolving members. */
  frontMatter(): FrontMatter | undefined {
    if (!this.fm?.inventory) return this.fm;
    try {
      return { ...this.fm, hosts: this.hosts() };
    } catch {
      return this.fm; // unreadable inventory: the front matter's own hosts still resolve
    }
  }

  private expand(name: string, stack: string[]): string[] {
    if (stack.includes(name)) throw new Error(`groups include each other: ${[...stack, name].join(' → ')}`);
    const items = this.fm?.groups?.[name];
    if (!items) {
      const members = this.inventory()?.members(name);
      if (!members) throw new Error(`unknown group "${name}"`);
      return members;
    }
    const out = new Set<string>();
    for (const item of items) {
      const negate = item.startsWith('!');
      const pattern = negate ? item.slice(1) : item;
      const names = this.namesFor(pattern, [...stack, name]);
      if (negate) names.forEach((n) => out.delete(n));
      else names.forEach((n) => out.add(n));
    }
    return [...out];
  }

  private namesFor(pattern: string, stack: string[]): string[] {
    if (pattern !== stack[stack.length - 1] && this.isGroup(pattern)) return this.expand(pattern, stack);
    if (/[*?]/.test(pattern)) {
      const known = new Set<string>([...Object.keys(this.fm?.hosts ?? {}), ...(this.ctx.sshAliases?.() ?? [])]);
      for (const h of this.inventory()?.hostVars.keys() ?? []) known.add(h);
      const hits = [...known].filter((n) => matchGlob(pattern, n)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
      if (!hits.length) throw new Error(`"${pattern}" matches no host of the front matter, the ssh config or the inventory`);
      return hits;
    }
    return isHostPattern(pattern) ? expandHostPattern(pattern) : [pattern];
  }
}

/** A runbook host entry for an inventory host, when its variables say how to reach it. */
export function hostEntry(name: string, vars: Vars): FrontMatterHosts[string] | undefined {
  if (!FIELDS.some((f) => vars[f] !== undefined)) return undefined;
  const user = vars.ansible_user === undefined ? '' : `${String(vars.ansible_user)}@`;
  const entry: FrontMatterHosts[string] = { ssh: `${user}${String(vars.ansible_host ?? name)}` };
  if (vars.ansible_port !== undefined) entry.port = Number(vars.ansible_port);
  if (vars.ansible_ssh_private_key_file !== undefined) entry.identityFile = String(vars.ansible_ssh_private_key_file);
  return entry;
}
