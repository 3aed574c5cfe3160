// Which cells must ask before running (DESIGN §3): `confirm=true`, or a destructive command inside
// (shell commands, or SQL statements read statement by statement in the connection's dialect).
import type { FrontMatter } from '../format/frontMatter.js';
import type { Attributes } from '../format/model.js';
import { findDangers, type Danger } from '../safety/destructive.js';
import { sqlDangers } from '../sql/dangers.js';

export interface ConfirmationNeed {
  /** Human-readable reasons: "confirm=true", "line 3: systemctl restart". */
  reasons: string[];
}

export function dangersOf(source: string, language: string, attributes: Attributes, fm?: FrontMatter): Danger[] {
  if (language !== 'sql') return findDangers(source);
  const connections = fm?.connections ?? {};
  const named = typeof attributes.db === 'string' ? connections[attributes.db] : undefined;
  const only = Object.values(connections);
  const driver = (named ?? (only.length === 1 ? only[0] : undefined))?.driver ?? 'postgres';
  return sqlDangers(source, driver);
}

export function confirmationNeeded(source: string, attributes: Attributes, language = 'shellscript', fm?: FrontMatter):
  ConfirmationNeed | undefined {
  const reasons: string[] = [];
  if (attributes.confirm === true || attributes.confirm === 'true') reasons.push('the cell is marked confirm=true');
  for (const d of dangersOf(source, language, attributes, fm)) reasons.push(`line ${d.line}: ${d.what}`);
  return reasons.length ? { reasons } : undefined;
}

/** The question asked, naming the target. */
export function confirmationQuestion(cellName: string, targetLabel: string, need: ConfirmationNeed): string {
  return `Run "${cellName}" on ${targetLabel}? ${need.reasons.join('; ')}.`;
}
