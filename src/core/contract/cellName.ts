// A cell's name: its `name=` attribute, else the heading it sits under ("## Restart the service" →
// `restart-the-service`, `-2`, `-3` when several unnamed cells share a heading), else `cell-N`. The name
// is what the log, the outputs and the confirmation show, so a reader can tell which step it was.
import type { Attributes } from '../format/model.js';

/** The cells a name depends on: prose (for headings) and code cells (their attributes). */
export type NameSource = { kind: 'markdown'; source: string } | { kind: 'code'; attributes: Attributes };

const HEADING = /^ {0,3}#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/;

/** The explicit `name=` of a cell, trimmed; undefined when it has none. */
export function explicitName(attributes: Attributes): string | undefined {
  const name = attributes.name;
  return typeof name === 'string' && name.trim() ? name.trim() : undefined;
}

/** The name of one cell when its heading is known (see codeCellNames for a whole document). */
export function cellNameOf(attributes: Attributes, codeIndex: number, heading?: string): string {
  return explicitName(attributes) ?? (heading ? headingSlug(heading) : undefined) ?? `cell-${codeIndex + 1}`;
}

/** `cell-N`: the name older versions gave every unnamed cell; still accepted where a name is looked up. */
export function ordinalName(codeIndex: number): string {
  return `cell-${codeIndex + 1}`;
}

/** The last ATX heading of a prose cell (outside code fences), as plain text. */
export function lastHeading(markdown: string): string | undefined {
  let found: string | undefined;
  let fence: string | undefined;
  for (const line of markdown.split(/\r?\n/)) {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (f) {
      if (!fence) fence = f[1]![0]!.repeat(f[1]!.length);
      else if (f[1]!.startsWith(fence)) fence = undefined;
      continue;
    }
    if (fence) continue;
    const m = HEADING.exec(line);
    if (m) found = m[1]!.replace(/[*_`[\]]/g, '').replace(/\(\S*\)/g, '').trim();
  }
  return found || undefined;
}

/** `Restart the service (step 2)` → `restart-the-service-step-2`; undefined when nothing usable is left. */
export function headingSlug(heading: string): string | undefined {
  const slug = heading.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48).replace(/-+$/, '');
  return slug || undefined;
}

/** The names of a document's code cells, in order; unique among themselves. */
export function codeCellNames(cells: readonly NameSource[]): string[] {
  const explicit = new Set(cells.flatMap((c) => (c.kind === 'code' ? [explicitName(c.attributes)] : [])).filter((n): n is string => !!n));
  const used = new Set<string>();
  const names: string[] = [];
  let heading: string | undefined;
  for (const cell of cells) {
    if (cell.kind === 'markdown') {
      heading = lastHeading(cell.source) ?? heading;
      continue;
    }
    const own = explicitName(cell.attributes);
    let name = own ?? (heading ? headingSlug(heading) : undefined);
    if (!own && name) {
      const base = name;
      for (let i = 2; used.has(name) || explicit.has(name); i++) name = `${base}-${i}`;
    }
    name ??= ordinalName(names.length);
    used.add(name);
    names.push(name);
  }
  return names;
}
