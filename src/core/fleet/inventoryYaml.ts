// Ansible's YAML inventory: top-level groups, each with `hosts:` (pattern → vars), `vars:` and
// `children:` (group name → the same shape, nested as deep as needed). Values keep their YAML types.
import { yaml } from '../util/yaml.js';
import { expandHostPattern } from './hostRange.js';
import { Inventory, splitHostPort, type Vars } from './inventory.js';

type Node = Record<string, unknown> | null | undefined;

export function parseYamlInventory(text: string, source = 'inventory'): Inventory {
  const data = yaml().parse(text, { version: '1.1' }) as unknown; // Ansible reads YAML 1.1 (yes/no are booleans)
  const inv = new Inventory();
  if (data === null || data === undefined) return inv.finish();
  if (!isMap(data)) throw new Error(`${source}: expected a mapping of groups`);
  for (const [name, node] of Object.entries(data)) readGroup(inv, name, node as Node, source);
  return inv.finish();
}

function readGroup(inv: Inventory, name: string, node: Node, source: string): void {
  inv.group(name);
  if (node === null || node === undefined) return;
  if (!isMap(node)) throw new Error(`${source}: group ${name}: expected hosts, vars or children`);
  for (const key of Object.keys(node)) {
    if (!['hosts', 'vars', 'children'].includes(key)) throw new Error(`${source}: group ${name}: unknown key "${key}" (expected hosts, vars or children)`);
  }
  if (node.vars !== undefined && node.vars !== null) {
    if (!isMap(node.vars)) throw new Error(`${source}: group ${name}: vars must be a mapping`);
    Object.assign(inv.group(name).vars, node.vars);
  }
  if (node.hosts !== undefined && node.hosts !== null) {
    if (!isMap(node.hosts)) throw new Error(`${source}: group ${name}: hosts must be a mapping of host → variables`);
    for (const [pattern, vars] of Object.entries(node.hosts)) {
      if (vars !== null && vars !== undefined && !isMap(vars)) throw new Error(`${source}: host ${pattern}: variables must be a mapping`);
      const { host, port } = splitHostPort(pattern);
      const own: Vars = { ...(port !== undefined ? { ansible_port: port } : {}), ...(vars as Vars | null) };
      for (const h of expandHostPattern(host)) inv.addHost(name, h, own);
    }
  }
  if (node.children !== undefined && node.children !== null) {
    if (!isMap(node.children)) throw new Error(`${source}: group ${name}: children must be a mapping of groups`);
    for (const [child, sub] of Object.entries(node.children)) {
      inv.addChild(name, child);
      readGroup(inv, child, sub as Node, source);
    }
  }
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
