// Which cells must ask before running (DESIGN §3): `confirm=true`, or a destructive command inside.
import type { Attributes } from '../format/model.js';
import { findDangers } from '../safety/destructive.js';

export interface ConfirmationNeed {
  /** Human-readable reasons: "confirm=true", "line 3: systemctl restart". */
  reasons: string[];
}

export function confirmationNeeded(source: string, attributes: Attributes): ConfirmationNeed | undefined {
  const reasons: string[] = [];
  if (attributes.confirm === true || attributes.confirm === 'true') reasons.push('the cell is marked confirm=true');
  for (const d of findDangers(source)) reasons.push(`line ${d.line}: ${d.what}`);
  return reasons.length ? { reasons } : undefined;
}

/** The question asked, naming the target. */
export function confirmationQuestion(cellName: string, targetLabel: string, need: ConfirmationNeed): string {
  return `Run "${cellName}" on ${targetLabel}? ${need.reasons.join('; ')}.`;
}
