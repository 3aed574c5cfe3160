// Which cells must ask before running (DESIGN §3): `confirm=true`, or a destructive command inside
// (shell commands, or SQL statements read statement by statement in the connection's dialect). And what the
// question shows: the exact lines that triggered it and the target in words; a production host must be
// typed by name.
import type { FrontMatter } from '../format/frontMatter.js';
import type { Attributes } from '../format/model.js';
import { findDangers, type Danger } from '../safety/destructive.js';
import { sqlDangers } from '../sql/dangers.js';
import type { ResolvedTarget } from '../contract/types.js';
import { cellDialect } from '../runbook/connection.js';
import type { TargetChoice } from './cellTarget.js';

export interface ConfirmationNeed {
  /** Human-readable reasons: "confirm=true", "line 3: systemctl restart". */
  reasons: string[];
  /** The dangers found, with their lines (empty when only confirm=true asks). */
  dangers?: Danger[];
}

/** SQL is read statement by statement in the dialect of the connection the cell uses (core/runbook). */
export function dangersOf(source: string, language: string, attributes: Attributes, fm?: FrontMatter, o: TargetChoice = {}): Danger[] {
  if (language === 'promql') return []; // PromQL only reads
  if (language !== 'sql') return findDangers(source);
  return sqlDangers(source, cellDialect({ attributes, language, ...(o.fenceLanguage !== undefined ? { fenceLanguage: o.fenceLanguage } : {}) }, fm, o.defaultConnection));
}

export function confirmationNeeded(source: string, attributes: Attributes, language = 'shellscript', fm?: FrontMatter, o: TargetChoice = {}):
  ConfirmationNeed | undefined {
  const reasons: string[] = [];
  if (attributes.confirm === true || attributes.confirm === 'true') reasons.push('the cell is marked confirm=true');
  const dangers = dangersOf(source, language, attributes, fm, o);
  for (const d of dangers) reasons.push(`line ${d.line}: ${d.what}`);
  return reasons.length ? { reasons, dangers } : undefined;
}

/** The question asked, naming the target. */
export function confirmationQuestion(cellName: string, targetLabel: string, need: ConfirmationNeed): string {
  return `Run "${cellName}" on ${targetLabel}? ${need.reasons.join('; ')}.`;
}

/** Where a target is, in words: "this machine", "deploy@cvd-prod via bastion", "this machine (drill stand-in for cvd-prod)". */
export function targetInWords(target: ResolvedTarget, fm: FrontMatter | undefined): string {
  if (target.members) return target.label;
  const drill = /\(drill (.+)\)$/.exec(target.label);
  if (target.kind === 'local') return drill ? `this machine (drill stand-in for ${drill[1]})` : 'this machine';
  const host = fm?.hosts?.[target.name];
  const jump = host?.jump === undefined ? [] : [host.jump].flat();
  return `${target.user}@${target.name}${jump.length ? ` via ${jump.join(', ')}` : ''}`;
}

/** A host marked `production: true` in the front matter (never a drill stand-in or this machine). */
export function isProductionTarget(target: ResolvedTarget, fm: FrontMatter | undefined): boolean {
  // A group with a production host asks as a production host does (type the group name).
  if (target.members) return target.members.some((m) => fm?.hosts?.[m]?.production === true);
  return target.kind === 'ssh' && fm?.hosts?.[target.name]?.production === true;
}

export interface ConfirmationLine {
  /** 1-based line in the cell. */
  line: number;
  /** The line as written in the cell. */
  text: string;
  /** What was recognised on it ("rm -r/-f"). */
  what: string;
}

/** Everything a confirmation shows (VS Code and the terminal build their own widgets from it). */
export interface ConfirmationPrompt {
  /** `Run "restart-cvd" on deploy@cvd-prod via bastion?` */
  question: string;
  cellName: string;
  /** The target in words. */
  where: string;
  /** The real address (`deploy@10.0.0.5:22`, `root@vm`). */
  address: string;
  production: boolean;
  /** The host name the operator must type to proceed (production targets only). */
  typeToConfirm?: string;
  /** The exact lines that triggered the question. */
  lines: ConfirmationLine[];
  /** The reasons, as logged. */
  reasons: string[];
  /** The dialog's detail text: target, then each triggering line. */
  detail: string;
}

export function confirmationPrompt(cellName: string, source: string, target: ResolvedTarget, need: ConfirmationNeed,
  fm: FrontMatter | undefined): ConfirmationPrompt {
  const where = targetInWords(target, fm);
  const production = isProductionTarget(target, fm);
  const sourceLines = source.split(/\r?\n/);
  const lines = (need.dangers ?? []).map((d) => ({ line: d.line, text: (sourceLines[d.line - 1] ?? '').trim(), what: d.what }));
  const detail = [
    `Target: ${where}${where.includes(target.label) ? '' : ` (${target.label})`}${production ? ' — PRODUCTION' : ''}`,
    '',
    ...(lines.length ? ['Lines that asked for this confirmation:', ...lines.map((l) => `  line ${l.line} (${l.what}):  ${l.text}`)] : []),
    ...need.reasons.filter((r) => !r.startsWith('line ')).map((r) => `Also: ${r}.`),
    '',
    production ? `To run it, type the host name "${target.name}" next.` : 'Cancel is the default; choose Run only if this is what you mean to do.',
  ].join('\n');
  const prompt: ConfirmationPrompt = {
    question: `Run "${cellName}" on ${where}?`, cellName, where, address: target.label, production, lines, reasons: need.reasons, detail,
  };
  if (production) prompt.typeToConfirm = target.name;
  return prompt;
}
