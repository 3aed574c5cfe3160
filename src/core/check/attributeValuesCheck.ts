// Attribute values the kernel has to understand: a timeout it can parse, confirm/readonly as true/false.
import { fleetPlan } from '../fleet/plan.js';
import { parseDuration } from '../util/duration.js';
import { attrValueWhere, codeCells, type CheckContext } from './context.js';
import type { Finding } from './types.js';

const BOOLEAN_KEYS = ['confirm', 'readonly', 'interactive', 'background'];

export function checkAttributeValues(ctx: CheckContext): Finding[] {
  const out: Finding[] = [];
  for (const { cell, index } of codeCells(ctx.doc)) {
    const timeout = cell.attributes.timeout;
    if (timeout !== undefined && !/\$|\{\{/.test(String(timeout)) && parseDuration(timeout) === undefined) {
      out.push({
        where: attrValueWhere(cell, index, 'timeout'), severity: 'error', code: 'bad-timeout',
        message: `timeout=${String(timeout)} is not a duration: write e.g. 30s, 5m, 1h or 500ms`,
      });
    }
    for (const key of ['forks', 'serial', 'max_fail']) {
      const v = cell.attributes[key];
      if (v === undefined || /\$|\{\{/.test(String(v))) continue;
      try {
        fleetPlan({ [key]: v }, 100);
      } catch (e) {
        out.push({ where: attrValueWhere(cell, index, key), severity: 'error', code: 'bad-fleet-attribute', message: (e as Error).message });
      }
    }
    for (const key of BOOLEAN_KEYS) {
      const v = cell.attributes[key];
      if (v === undefined || typeof v === 'boolean' || /^(true|false)$/i.test(String(v))) continue;
      out.push({
        where: attrValueWhere(cell, index, key), severity: 'warning', code: 'bad-boolean',
        message: `${key}=${String(v)} is neither true nor false`,
      });
    }
  }
  return out;
}
