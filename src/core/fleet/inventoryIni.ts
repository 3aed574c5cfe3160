// Ansible's INI inventory: `[group]` host lines (`web[01:20] ansible_user=x key="a b"`, `host:port`),
// `[group:vars]` key=value lines, `[group:children]` group names. Values are typed the way Ansible's
// literal_eval types them (numbers, True/False, None, quoted strings); anything else stays a string.
import { expandHostPattern } from './hostRange.js';
import { Inventory, splitHostPort, type Vars } from './inventory.js';
import { splitWords } from './words.js';

export function parseIniInventory(text: string, source = 'inventory'): Inventory {
  const inv = new Inventory();
  let group = 'ungrouped';
  let kind: 'hosts' | 'vars' | 'children' = 'hosts';
  const lines = text.split(/\r?\n/);
  lines.forEach((rawLine, i) => {
    const line = rawLine.trim();
    if (!line || line.startsWith(';') || line.startsWith('#')) return;
    const where = `${source}:${i + 1}`;
    const section = /^\[([^\]]+)\]\s*([;#].*)?$/.exec(line);
    if (section) {
      const [name, state = 'hosts'] = section[1]!.split(':') as [string, string | undefined];
      if (state !== 'hosts' && state !== 'vars' && state !== 'children') throw new Error(`${where}: section [${section[1]}]: expected :vars or :children`);
      group = name.trim();
      kind = state;
      if (kind !== 'vars') inv.group(group);
      return;
    }
    if (kind === 'vars') {
      const eq = line.indexOf('=');
      if (eq < 1) throw new Error(`${where}: expected key=value in [${group}:vars]`);
      inv.group(group).vars[line.slice(0, eq).trim()] = iniValue(line.slice(eq + 1).trim());
    } else if (kind === 'children') {
      inv.addChild(group, splitWords(line, true)[0] ?? line);
    } else {
      const [pattern, ...assignments] = splitWords(line, true);
      if (!pattern) return;
      const vars: Vars = {};
      for (const a of assignments) {
        const eq = a.indexOf('=');
        if (eq < 1) throw new Error(`${where}: expected key=value after the host, got "${a}"`);
        vars[a.slice(0, eq)] = iniValue(a.slice(eq + 1));
      }
      const { host, port } = splitHostPort(pattern);
      for (const name of expandHostPattern(host)) inv.addHost(group, name, port !== undefined ? { ansible_port: port, ...vars } : vars);
    }
  });
  return inv.finish();
}

/** Python's literal_eval on the few literals an inventory holds. */
export function iniValue(v: string): unknown {
  if (/^[-+]?\d+$/.test(v)) return Number(v);
  if (/^[-+]?(\d+\.\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) return Number(v);
  if (v === 'True') return true;
  if (v === 'False') return false;
  if (v === 'None') return null;
  const q = /^(['"])(.*)\1$/.exec(v);
  if (q) return q[2]!.replace(/\\(.)/g, '$1');
  return v;
}
