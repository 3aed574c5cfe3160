// Cell names identify cells in outputs and the execution log: a second cell with the same name is an error.
import { attr, attrValueWhere, codeCells, type CheckContext } from './context.js';
import type { Finding } from './types.js';

export function checkDuplicateNames(ctx: CheckContext): Finding[] {
  const out: Finding[] = [];
  const seen = new Map<string, number>();
  codeCells(ctx.doc).forEach(({ cell, index }, n) => {
    const name = attr(cell, 'name');
    if (!name) return;
    const first = seen.get(name);
    if (first === undefined) {
      seen.set(name, n);
      return;
    }
    out.push({
      where: attrValueWhere(cell, index, 'name'), severity: 'error', code: 'duplicate-name',
      message: `Duplicate cell name "${name}" (code cell ${first + 1} has it already): outputs and the log could not tell them apart`,
      data: { name },
    });
  });
  return out;
}
