// `host=` and `db=` must name a host or connection of the front matter (`local` always works; Host
// aliases of the ssh config count as hosts). Hosts named inside the front matter (a connection's host, a
// jump) are checked too.
import { attr, attrValueWhere, codeCells, type CheckContext } from './context.js';
import { inventoryProblem } from './fleetGroups.js';
import type { Finding } from './types.js';

const LOCAL = new Set(['local', 'localhost']);

export function knownHost(ctx: CheckContext, name: string): boolean {
  return LOCAL.has(name) || ctx.hostNames.has(name) || ctx.sshAliases.has(name);
}

/** `host=` may also name a group: the cell then runs on each of its hosts. */
function knownTarget(ctx: CheckContext, name: string): boolean {
  return knownHost(ctx, name) || ctx.groupNames.has(name);
}

/** A value filled in at run time (`${VAR}`, `{{var}}`) cannot be checked. */
function dynamic(value: string): boolean {
  return /\$|\{\{/.test(value);
}

export function checkTargets(ctx: CheckContext): Finding[] {
  const out: Finding[] = [];
  for (const { cell, index } of codeCells(ctx.doc)) {
    const host = attr(cell, 'host');
    if (host && !dynamic(host) && !knownTarget(ctx, host)) {
      const groups = ctx.groupNames.size ? ` and groups ${[...ctx.groupNames].join(', ')}` : '';
      out.push({
        where: attrValueWhere(cell, index, 'host'), severity: 'error', code: 'unknown-host',
        message: `Unknown host "${host}": ${listOf('hosts', [...ctx.hostNames])}${groups} ("local" runs on this machine)`,
        data: { name: host },
      });
    }
    const db = attr(cell, 'db');
    if (db && !dynamic(db) && !ctx.connectionNames.has(db)) {
      out.push({
        where: attrValueWhere(cell, index, 'db'), severity: 'error', code: 'unknown-connection',
        message: `Unknown connection "${db}": ${listOf('connections', [...ctx.connectionNames])}`,
        data: { name: db },
      });
    }
  }
  out.push(...frontMatterReferences(ctx));
  const problem = inventoryProblem(ctx.fm.data, ctx.options.baseDir);
  if (problem) {
    const lines = (ctx.doc.frontMatter?.raw ?? '').split('\n');
    const line = Math.max(0, lines.findIndex((l) => /^inventory\s*:/.test(l)));
    out.push({
      where: { in: 'doc', line, start: 0, end: Math.max(1, lines[line]?.replace(/\r$/, '').length ?? 1) }, severity: 'error',
      code: 'bad-inventory', message: `${problem}: its groups and hosts cannot be used`,
    });
  }
  return out;
}

function listOf(what: string, names: string[]): string {
  return names.length ? `the front matter defines ${what} ${names.join(', ')}` : `the front matter defines no ${what}`;
}

/** A connection's `host:` and a host's `jump:` inside the front matter. */
function frontMatterReferences(ctx: CheckContext): Finding[] {
  const out: Finding[] = [];
  const refer = (entry: { name: string; line: number; start: number; end: number }, field: string, target: unknown) => {
    for (const name of Array.isArray(target) ? target : [target]) {
      if (typeof name !== 'string' || !name || dynamic(name) || knownHost(ctx, name)) continue;
      // A jump may be written as user@host or host:port: those are not names of this file.
      if (field === 'jump' && /[@:]/.test(name)) continue;
      out.push({
        where: { in: 'doc', line: entry.line, start: entry.start, end: entry.end },
        severity: 'warning', code: 'unknown-host',
        message: `${entry.name}: ${field} "${name}" is neither a host of the front matter nor a Host of the ssh config`,
        data: { name },
      });
    }
  };
  for (const c of ctx.fm.connections) refer(c, 'host', (c.value as { host?: unknown } | undefined)?.host);
  for (const h of ctx.fm.hosts) refer(h, 'jump', (h.value as { jump?: unknown } | undefined)?.jump);
  return out;
}
