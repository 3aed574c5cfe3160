// Reads an inventory file in either of Ansible's formats: YAML when the name says so (or the text looks
// like a YAML mapping of groups), INI otherwise.
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Inventory } from './inventory.js';
import { parseIniInventory } from './inventoryIni.js';
import { parseYamlInventory } from './inventoryYaml.js';

export function parseInventory(text: string, name = 'inventory'): Inventory {
  const yamlName = /\.ya?ml$/i.test(name);
  const iniName = /\.(ini|cfg)$/i.test(name) || /(^|\/)hosts$/.test(name);
  const looksYaml = /^[A-Za-z0-9_-]+:\s*$/m.test(text.split(/\r?\n/).find((l) => l.trim() && !/^\s*[#;]/.test(l)) ?? '');
  return yamlName || (!iniName && looksYaml) ? parseYamlInventory(text, name) : parseIniInventory(text, name);
}

/** Reads `path` (relative to `baseDir`, `~/` to the home directory). */
export function readInventoryFile(path: string, baseDir: string, homeDir?: string): Inventory {
  const expanded = path.startsWith('~/') && homeDir ? resolve(homeDir, path.slice(2)) : path;
  const full = isAbsolute(expanded) ? expanded : resolve(baseDir, expanded);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (e) {
    throw new Error(`cannot read the inventory ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
  return parseInventory(text, full);
}
