// Variable names a cell refers to: ${NAME}, $NAME (shell) and {{NAME}} (http), for asking only what is used.

const SHELL = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;
const MUSTACHE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export function referencedVariables(source: string): Set<string> {
  const names = new Set<string>();
  for (const m of source.matchAll(SHELL)) names.add(m[1]!);
  for (const m of source.matchAll(MUSTACHE)) names.add(m[1]!);
  return names;
}
