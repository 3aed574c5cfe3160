// Runbook checks (issue 7): problems a runbook has before anyone runs it, from the pure core, so the
// language server and `runbook check` report the same things.
import { parseRunbook, type RunbookDocument } from '../format/index.js';
import { checkAttributeValues } from './attributeValuesCheck.js';
import { checkBroadKills } from './broadKillCheck.js';
import { checkContext, type CheckContext } from './context.js';
import { checkDestructive } from './destructiveCheck.js';
import { checkDuplicateNames } from './duplicateNamesCheck.js';
import { checkFrontMatter } from './frontMatterCheck.js';
import { checkHttpVariables } from './httpVariablesCheck.js';
import { placeInText } from './place.js';
import { checkPlaceholders } from './placeholdersCheck.js';
import { checkShellVariables } from './shellVariablesCheck.js';
import { checkSshProxies } from './sshProxyCheck.js';
import { checkTargets } from './targetsCheck.js';
import type { CheckOptions, Diagnostic, Finding } from './types.js';
import { checkUnclosedFences } from './unclosedFenceCheck.js';

export type { CheckOptions, Diagnostic, Finding, Position, Range, Severity, Where } from './types.js';
export { checkContext, type CheckContext } from './context.js';
export { readFrontMatterModel, type FrontMatterModel, type NamedEntry } from './frontMatterModel.js';
export { attributeSpan, attributeSpans, braceOf, type AttributeSpan } from './fenceAttributes.js';
export { locateInText, placeInText } from './place.js';

export const CHECKS: ((ctx: CheckContext) => Finding[])[] = [
  checkFrontMatter,
  checkTargets,
  checkShellVariables,
  checkHttpVariables,
  checkPlaceholders,
  checkDestructive,
  checkBroadKills,
  checkDuplicateNames,
  checkUnclosedFences,
  checkAttributeValues,
  checkSshProxies,
];

/** Findings for a parsed document, in cell coordinates (also for notebooks, whose cells have no ranges). */
export function checkDocument(doc: RunbookDocument, options: CheckOptions = {}): Finding[] {
  const ctx = checkContext(doc, options);
  return CHECKS.flatMap((check) => check(ctx));
}

/** Diagnostics for a runbook's markdown text, with ranges in that text (0-based lines, UTF-16 columns). */
export function checkRunbook(text: string, options: CheckOptions = {}): Diagnostic[] {
  const doc = parseRunbook(text);
  return placeInText(text, doc, checkDocument(doc, options));
}
