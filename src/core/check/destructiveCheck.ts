// A cell with a destructive command (rm -rf, systemctl restart, DROP TABLE, ...) should say so with
// `confirm=true`: the kernel asks anyway, but the reader of the runbook should see it before 3 a.m.
// One finding per cell, at its first destructive line, naming everything found.
import { findDangers } from '../safety/destructive.js';
import { codeCells, type CheckContext } from './context.js';
import type { Finding } from './types.js';

export function confirmed(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

export function checkDestructive(ctx: CheckContext): Finding[] {
  const out: Finding[] = [];
  for (const { cell, index } of codeCells(ctx.doc)) {
    if (cell.language !== 'shellscript' && cell.language !== 'sql') continue;
    if (confirmed(cell.attributes.confirm)) continue;
    const dangers = findDangers(cell.source);
    if (!dangers.length) continue;
    const what = [...new Set(dangers.map((d) => d.what))];
    const first = dangers[0]!;
    const text = cell.source.split('\n')[first.line - 1] ?? '';
    const start = text.length - text.trimStart().length;
    out.push({
      where: { in: 'source', cell: index, line: first.line - 1, start, end: Math.max(start + 1, text.trimEnd().length) },
      severity: 'information', code: 'destructive-without-confirm',
      message: `Destructive: ${what.join(', ')}. Add confirm=true to the fence so readers see that this step asks first`,
      data: { what },
    });
  }
  return out;
}
