// A fence that is never closed swallows the rest of the document into one code cell.
import { codeCells, type CheckContext } from './context.js';
import type { Finding } from './types.js';

export function checkUnclosedFences(ctx: CheckContext): Finding[] {
  const out: Finding[] = [];
  for (const { cell, index } of codeCells(ctx.doc)) {
    if (cell.fence.close !== null) continue;
    out.push({
      where: { in: 'fenceLine', cell: index },
      severity: 'warning', code: 'unclosed-fence',
      message: `This ${cell.fence.marker} fence is never closed: everything after it belongs to this cell`,
    });
  }
  return out;
}
