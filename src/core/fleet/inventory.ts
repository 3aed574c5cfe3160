// An Ansible inventory as Ansible reads it: groups with hosts, children and vars, the implicit `all` and
// `ungrouped`, and each host's variables merged the way Ansible merges them (all, then parent groups
// before child groups, groups of one depth by name, host variables last). The INI and YAML readers fill it.

export type Vars = Record<string, unknown>;

export interface InventoryGroup {
  name: string;
  hosts: string[];
  children: string[];
  vars: Vars;
}

export class Inventory {
  readonly groups = new Map<string, InventoryGroup>();
  /** Host variables as written for the host itself (merged over every line that names it). */
  readonly hostVars = new Map<string, Vars>();

  constructor() {
    this.group('all');
    this.group('ungrouped');
  }

  group(name: string): InventoryGroup {
    let g = this.groups.get(name);
    if (!g) this.groups.set(name, (g = { name, hosts: [], children: [], vars: {} }));
    return g;
  }

  addHost(group: string, host: string, vars: Vars = {}): void {
    const g = this.group(group);
    if (!g.hosts.includes(host)) g.hosts.push(host);
    this.hostVars.set(host, { ...this.hostVars.get(host), ...vars });
  }

  addChild(parent: string, child: string): void {
    if (parent === child) throw new Error(`group ${parent} cannot be its own child`);
    const p = this.group(parent);
    this.group(child);
    if (!p.children.includes(child)) p.children.push(child);
    if (this.ancestors(parent).has(child)) throw new Error(`groups ${parent} and ${child} are each other's children`);
  }

  /** Ansible's reconciliation: top-level groups are children of `all`; hosts in no group are `ungrouped`. */
  finish(): this {
    const all = this.group('all');
    const childOfSome = new Set<string>();
    for (const g of this.groups.values()) for (const c of g.children) childOfSome.add(c);
    for (const g of this.groups.values()) {
      if (g.name !== 'all' && !childOfSome.has(g.name) && !all.children.includes(g.name)) all.children.push(g.name);
    }
    all.children = ['ungrouped', ...all.children.filter((c) => c !== 'ungrouped')]; // Ansible lists it first
    const grouped = new Set<string>();
    for (const g of this.groups.values()) if (g.name !== 'all' && g.name !== 'ungrouped') g.hosts.forEach((h) => grouped.add(h));
    const ungrouped = this.group('ungrouped');
    for (const h of all.hosts) if (!grouped.has(h) && !ungrouped.hosts.includes(h)) ungrouped.hosts.push(h);
    ungrouped.hosts = ungrouped.hosts.filter((h) => !grouped.has(h));
    all.hosts = [];
    return this;
  }

  /** Every host of a group, its children's included, in order, once each. */
  members(name: string): string[] | undefined {
    if (name === 'all') return [...this.hostVars.keys()];
    if (!this.groups.has(name)) return undefined;
    const out = new Set<string>();
    const visit = (n: string, seen: Set<string>) => {
      if (seen.has(n)) return;
      seen.add(n);
      const g = this.groups.get(n)!;
      g.hosts.forEach((h) => out.add(h));
      g.children.forEach((c) => visit(c, seen));
    };
    visit(name, new Set());
    return [...out];
  }

  /** A host's variables as Ansible sees them (inventory sources only). */
  varsOf(host: string): Vars {
    const groups = [...this.groups.values()].filter((g) => g.name === 'all' || this.members(g.name)!.includes(host));
    const depth = new Map<string, number>();
    const depthOf = (n: string): number => {
      if (n === 'all') return 0;
      if (depth.has(n)) return depth.get(n)!;
      depth.set(n, 1);
      const parents = [...this.groups.values()].filter((g) => g.children.includes(n)).map((g) => g.name);
      const d = 1 + Math.max(0, ...parents.map(depthOf));
      depth.set(n, d);
      return d;
    };
    groups.sort((a, b) => depthOf(a.name) - depthOf(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const out: Vars = {};
    for (const g of groups) Object.assign(out, g.vars);
    return Object.assign(out, this.hostVars.get(host));
  }

  /** The JSON `ansible-inventory --list` prints, for comparing readers with Ansible's own. */
  toAnsibleList(): Record<string, unknown> {
    const hostvars: Record<string, Vars> = {};
    for (const h of this.hostVars.keys()) {
      const v = this.varsOf(h);
      if (Object.keys(v).length) hostvars[h] = v;
    }
    const out: Record<string, unknown> = { _meta: { hostvars } };
    for (const g of this.groups.values()) {
      const entry: Record<string, unknown> = {};
      if (g.hosts.length) entry.hosts = g.hosts;
      if (g.children.length) entry.children = g.children;
      if (g.name === 'all' || Object.keys(entry).length) out[g.name] = entry;
    }
    return out;
  }

  private ancestors(name: string): Set<string> {
    const out = new Set<string>();
    const visit = (n: string) => {
      for (const g of this.groups.values()) {
        if (g.children.includes(n) && !out.has(g.name)) {
          out.add(g.name);
          visit(g.name);
        }
      }
    };
    visit(name);
    return out;
  }
}

/** `host:port` as Ansible splits it (a range's colons and a bare IPv6 address's stay in the name). */
export function splitHostPort(pattern: string): { host: string; port?: number } {
  const m = /^(.*):(\d+)$/.exec(pattern);
  if (!m) return { host: pattern };
  const head = m[1]!;
  if (head.lastIndexOf('[') > head.lastIndexOf(']')) return { host: pattern }; // the colon is a range's
  if (/^\[[^\]]*:[^\]]*\]$/.test(head)) return { host: head.slice(1, -1), port: Number(m[2]) };
  if (head.includes(':') && !head.includes('[')) return { host: pattern }; // IPv6 without brackets
  return { host: head, port: Number(m[2]) };
}
